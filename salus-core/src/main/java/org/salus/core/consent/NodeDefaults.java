package org.salus.core.consent;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The steward's default per purpose for one jurisdiction. A purpose not listed is {@link
 * DefaultRule#OPT_IN}: Salus never permits by accident.
 */
public final class NodeDefaults {

  private final String jurisdiction;
  private final Map<Purpose, DefaultRule> rules;
  private final SnapshotHash hash;

  private NodeDefaults(String jurisdiction, Map<Purpose, DefaultRule> rules) {
    this.jurisdiction = Objects.requireNonNull(jurisdiction, "jurisdiction");
    this.rules = rules.isEmpty() ? Map.of() : new EnumMap<>(rules);
    this.hash = SnapshotHash.ofCanonical(CanonicalEncoding.of(this));
  }

  /** Defaults for a jurisdiction (ISO 3166-1 alpha-2, or a region code). */
  public static NodeDefaults of(String jurisdiction, Map<Purpose, DefaultRule> rules) {
    return new NodeDefaults(jurisdiction, rules);
  }

  /** Every purpose opt-in. */
  public static NodeDefaults optInEverywhere(String jurisdiction) {
    return new NodeDefaults(jurisdiction, Map.of());
  }

  public String jurisdiction() {
    return jurisdiction;
  }

  public DefaultRule ruleFor(Purpose purpose) {
    return rules.getOrDefault(purpose, DefaultRule.OPT_IN);
  }

  /** SHA-256 of the canonical encoding (jurisdiction and the rule of every purpose). */
  public SnapshotHash hash() {
    return hash;
  }

  @Override
  public String toString() {
    return "NodeDefaults[" + jurisdiction + ", " + hash + "]";
  }
}

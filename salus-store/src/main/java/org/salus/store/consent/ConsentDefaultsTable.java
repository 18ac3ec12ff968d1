package org.salus.store.consent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.salus.core.consent.DefaultRule;
import org.salus.core.consent.NodeDefaults;
import org.salus.core.consent.Purpose;
import org.salus.store.StoreException;

/**
 * The node's defaults in {@code consent_default(purpose, rule, updated_at)} and the jurisdiction in
 * {@code consent_setting}. Rules are stored as {@code opt-in} / {@code opt-out}; a purpose without
 * a row is opt-in. Called by {@link ConsentStore}, which holds the transaction.
 */
final class ConsentDefaultsTable {

  /** The jurisdiction named until the steward sets one. */
  static final String UNSPECIFIED = "unspecified";

  /** What a node has before its steward sets anything: opt-in for every purpose. */
  static final NodeDefaults NONE_SET = NodeDefaults.optInEverywhere(UNSPECIFIED);

  private static final String JURISDICTION = "jurisdiction";

  private final Connection connection;

  ConsentDefaultsTable(Connection connection) {
    this.connection = connection;
  }

  NodeDefaults load() throws SQLException {
    Map<Purpose, DefaultRule> rules = new EnumMap<>(Purpose.class);
    String jurisdiction = UNSPECIFIED;
    try (Statement s = connection.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT purpose, rule FROM consent_default")) {
        while (rs.next()) {
          String code = rs.getString(1);
          Purpose p =
              Purpose.fromCode(code)
                  .orElseThrow(
                      () ->
                          new StoreException(
                              "consent.store.integrity",
                              "consent_default names an unknown purpose '" + code + "'"));
          rules.put(p, rule(rs.getString(2)));
        }
      }
      try (ResultSet rs =
          s.executeQuery("SELECT value FROM consent_setting WHERE name = '" + JURISDICTION + "'")) {
        if (rs.next()) {
          jurisdiction = rs.getString(1);
        }
      }
    }
    return NodeDefaults.of(jurisdiction, rules);
  }

  void save(NodeDefaults defaults, Instant at) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.executeUpdate("DELETE FROM consent_default");
      s.executeUpdate("DELETE FROM consent_setting WHERE name = '" + JURISDICTION + "'");
    }
    try (PreparedStatement p =
        connection.prepareStatement(
            "INSERT INTO consent_default (purpose, rule, updated_at) VALUES (?, ?, ?)")) {
      for (Purpose purpose : Purpose.values()) {
        p.setString(1, purpose.code());
        p.setString(2, code(defaults.ruleFor(purpose)));
        p.setObject(3, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
        p.executeUpdate();
      }
    }
    try (PreparedStatement p =
        connection.prepareStatement("INSERT INTO consent_setting (name, value) VALUES (?, ?)")) {
      p.setString(1, JURISDICTION);
      p.setString(2, defaults.jurisdiction());
      p.executeUpdate();
    }
  }

  /** {@code opt-in} or {@code opt-out}, as the steward types it. */
  static String code(DefaultRule rule) {
    return rule.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The rule for {@code opt-in} or {@code opt-out}. */
  static DefaultRule rule(String code) {
    for (DefaultRule r : DefaultRule.values()) {
      if (code(r).equals(code)) {
        return r;
      }
    }
    throw new StoreException(
        "consent.store.integrity", "consent_default holds an unknown rule '" + code + "'");
  }
}

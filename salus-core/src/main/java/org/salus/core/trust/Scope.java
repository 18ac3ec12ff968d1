package org.salus.core.trust;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A permission carried in an access token, for example {@code node.read}. Routes name the scopes
 * they need; a role grants a fixed set ({@link #grantedTo(Role)}).
 */
public record Scope(String name) {

  private static final Pattern SHAPE = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");

  /** Read the node's public facts: its status and trust list. */
  public static final Scope NODE_READ = new Scope("node.read");

  /** Administer the node (stewards). */
  public static final Scope NODE_ADMIN = new Scope("node.admin");

  /** Read the node's audit evidence. */
  public static final Scope AUDIT_READ = new Scope("audit.read");

  /** Submit studies to a hub and read their results (researchers). */
  public static final Scope STUDY_RUN = new Scope("study.run");

  private static final Map<Role, Set<Scope>> GRANTS = grants();

  public Scope {
    if (!SHAPE.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "scope '" + name + "' must be dotted lower-case words, like node.read");
    }
  }

  /** The scopes a holder of {@code role} receives at login. */
  public static Set<Scope> grantedTo(Role role) {
    return GRANTS.get(role);
  }

  private static Map<Role, Set<Scope>> grants() {
    Map<Role, Set<Scope>> m = new EnumMap<>(Role.class);
    m.put(Role.PATIENT, Set.of(NODE_READ));
    m.put(Role.CLINICIAN, Set.of(NODE_READ));
    m.put(Role.RESEARCHER, Set.of(NODE_READ, STUDY_RUN));
    m.put(Role.STEWARD, Set.of(NODE_READ, NODE_ADMIN));
    m.put(Role.AUDITOR, Set.of(NODE_READ, AUDIT_READ));
    return m;
  }

  @Override
  public String toString() {
    return name;
  }
}

package org.salus.core.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.salus.core.record.Code;

/**
 * Random consents and requests over small domains, so that provisions and requests often overlap.
 * Driven by a {@link Random} that jqwik supplies, hence reproducible from the reported seed.
 */
final class RandomConsents {

  static final List<Purpose> PURPOSES = List.of(Purpose.TREAT, Purpose.HRESCH, Purpose.PUBHLTH);
  static final List<ConsentAction> ACTIONS = List.of(ConsentAction.ACCESS, ConsentAction.USE);
  static final List<DataClass> CLASSES =
      List.of(DataClass.RESULTS, DataClass.PROBLEMS, DataClass.ALLERGIES);
  static final List<SecurityLabel> LABELS =
      List.of(SecurityLabel.PSY, SecurityLabel.ETH, SecurityLabel.GDIS);
  static final List<InstitutionKind> KINDS =
      List.of(InstitutionKind.PUBLIC, InstitutionKind.COMMERCIAL);
  static final List<String> STUDIES = List.of("S1", "S2");
  static final List<Code> CODES = List.of(new Code(Code.SNOMED, "1"), new Code(Code.SNOMED, "2"));
  static final List<String> COUNTRIES = List.of("DK", "ES");
  static final List<Role> ROLES = List.of(Role.CLINICIAN, Role.RESEARCHER);

  private RandomConsents() {}

  /** A root with no restrictions of its own (as {@link ConsentChoices} records), random type. */
  static Provision root(Random r) {
    Provision.Builder b = type(r).id("root");
    int n = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      b.provision(provision(r, 1));
    }
    return b.build();
  }

  static Provision provision(Random r, int depth) {
    Provision.Builder b = type(r);
    restrict(r, b);
    if (depth < 3) {
      int n = r.nextInt(3);
      for (int i = 0; i < n; i++) {
        b.provision(provision(r, depth + 1));
      }
    }
    return b.build();
  }

  private static Provision.Builder type(Random r) {
    return switch (r.nextInt(3)) {
      case 0 -> Provision.permit();
      case 1 -> Provision.deny();
      default -> Provision.scope();
    };
  }

  private static void restrict(Random r, Provision.Builder b) {
    if (r.nextInt(3) == 0) {
      b.purposes(subset(r, PURPOSES));
    }
    if (r.nextInt(4) == 0) {
      b.actions(subset(r, ACTIONS).toArray(ConsentAction[]::new));
    }
    if (r.nextInt(3) == 0) {
      b.classes(subset(r, CLASSES));
    }
    if (r.nextInt(3) == 0) {
      b.securityLabels(subset(r, LABELS));
    }
    if (r.nextInt(5) == 0) {
      b.institutionKinds(pick(r, KINDS));
    }
    if (r.nextInt(5) == 0) {
      b.studies(pick(r, STUDIES));
    }
    if (r.nextInt(6) == 0) {
      b.codes(pick(r, CODES));
    }
    if (r.nextInt(4) == 0) {
      b.actor(new ActorMatcher.ByRoleAndCountry(pick(r, ROLES), pick(r, COUNTRIES)));
    }
    if (r.nextInt(4) == 0) {
      int start = r.nextInt(10);
      b.period(Interval.between(Fixtures.day(start), Fixtures.day(start + 1 + r.nextInt(10))));
    }
    if (r.nextInt(6) == 0) {
      b.dataPeriod(Interval.until(Fixtures.day(-100 + r.nextInt(200))));
    }
  }

  static AccessRequest request(Random r) {
    Requester requester =
        new Requester(
            "Ref/" + r.nextInt(3),
            pick(r, ROLES),
            Optional.empty(),
            pick(r, COUNTRIES),
            pick(r, KINDS));
    RequestContext c =
        RequestContext.of(
            requester, pick(r, PURPOSES), pick(r, ACTIONS), Fixtures.day(r.nextInt(20)));
    if (r.nextBoolean()) {
      c = c.forStudy(pick(r, STUDIES));
    }
    return new AccessRequest(c, record(r));
  }

  static RecordFacts record(Random r) {
    if (r.nextInt(5) == 0) {
      return RecordFacts.person();
    }
    Set<SecurityLabel> labels = r.nextBoolean() ? Set.of() : new HashSet<>(subset(r, LABELS));
    Set<Code> codes = r.nextBoolean() ? Set.of() : Set.of(pick(r, CODES));
    return new RecordFacts(
        Optional.of(pick(r, CLASSES)),
        codes,
        labels,
        Optional.of(Fixtures.day(-150 + r.nextInt(300))));
  }

  static NodeDefaults defaults(Random r) {
    java.util.Map<Purpose, DefaultRule> rules = new java.util.EnumMap<>(Purpose.class);
    for (Purpose p : PURPOSES) {
      rules.put(p, r.nextBoolean() ? DefaultRule.OPT_IN : DefaultRule.OPT_OUT);
    }
    return NodeDefaults.of("XX", rules);
  }

  static ConsentVersion version(Provision root) {
    return ConsentVersion.of(Fixtures.PATIENT, 1, Instant.EPOCH, root);
  }

  static <T> T pick(Random r, List<T> values) {
    return values.get(r.nextInt(values.size()));
  }

  static <T> Set<T> subset(Random r, List<T> values) {
    Set<T> out = new HashSet<>();
    out.add(pick(r, values));
    for (T v : values) {
      if (r.nextInt(3) == 0) {
        out.add(v);
      }
    }
    return out;
  }

  /** All paths (child index lists) in a tree, root first. */
  static List<List<Integer>> paths(Provision p) {
    List<List<Integer>> out = new ArrayList<>();
    walk(p, new ArrayList<>(), out);
    return out;
  }

  private static void walk(Provision p, List<Integer> path, List<List<Integer>> out) {
    out.add(List.copyOf(path));
    for (int i = 0; i < p.provisions().size(); i++) {
      path.add(i);
      walk(p.provisions().get(i), path, out);
      path.remove(path.size() - 1);
    }
  }

  /** The tree with the node at the path replaced by {@code f(node)}; empty removes it. */
  static Optional<Provision> edit(
      Provision p,
      List<Integer> path,
      java.util.function.Function<Provision, Optional<Provision>> f) {
    if (path.isEmpty()) {
      return f.apply(p);
    }
    List<Provision> children = new ArrayList<>(p.provisions());
    int i = path.get(0);
    Optional<Provision> replaced = edit(children.get(i), path.subList(1, path.size()), f);
    if (replaced.isPresent()) {
      children.set(i, replaced.get());
    } else {
      children.remove(i);
    }
    return Optional.of(p.toBuilder().provisions(children).build());
  }
}

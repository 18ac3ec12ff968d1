package org.salus.core.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Properties of the decision point, checked on random consents and requests. */
class ConsentPropertiesTest {

  private static final int REQUESTS = 60;

  @Property(tries = 300)
  void decisionsAgreeWithTheBruteForceReference(@ForAll Random r) {
    Optional<ConsentVersion> consent = Optional.of(RandomConsents.version(RandomConsents.root(r)));
    NodeDefaults defaults = RandomConsents.defaults(r);
    PolicyDecisionPoint pdp = new PolicyDecisionPoint(defaults);
    for (int i = 0; i < REQUESTS; i++) {
      AccessRequest req = RandomConsents.request(r);
      assertThat(pdp.decide(Fixtures.PATIENT, consent, req).permitted())
          .as("request %s", req)
          .isEqualTo(ReferenceEvaluator.permits(consent, defaults, req));
    }
  }

  @Property(tries = 300)
  void removingProvisionsThatOnlyPermitNeverWidensAccess(@ForAll Random r) {
    Provision before = RandomConsents.root(r);
    List<List<Integer>> candidates = new ArrayList<>();
    for (List<Integer> path : RandomConsents.paths(before)) {
      if (!path.isEmpty() && !containsDeny(at(before, path))) {
        candidates.add(path);
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    List<Integer> path = RandomConsents.pick(r, candidates);
    Provision after = RandomConsents.edit(before, path, p -> Optional.empty()).orElseThrow();
    assertNeverWider(r, before, after);
  }

  @Property(tries = 200)
  void revokingAGrantOrEverythingNeverWidensAccess(@ForAll Random r) {
    ConsentChoices choices = ConsentChoices.of(ConsentHistory.empty(Fixtures.PATIENT));
    List<String> grants = new ArrayList<>();
    for (int i = 0; i < 1 + r.nextInt(3); i++) {
      String id = "g" + i;
      grants.add(id);
      choices =
          choices.grant(
              new Grant(
                  id,
                  new ActorMatcher.ByRoleAndCountry(
                      RandomConsents.pick(r, RandomConsents.ROLES),
                      RandomConsents.pick(r, RandomConsents.COUNTRIES)),
                  RandomConsents.subset(r, RandomConsents.CLASSES),
                  Interval.between(Fixtures.day(r.nextInt(5)), Fixtures.day(5 + r.nextInt(10))),
                  r.nextBoolean()));
    }
    if (r.nextBoolean()) {
      choices = choices.denyCategory(SensitiveCategory.MENTAL_HEALTH, Set.of());
    }
    if (r.nextBoolean()) {
      choices = choices.setPurpose(Purpose.TREAT, ProvisionType.PERMIT);
    }
    Provision before = choices.root();
    assertNeverWider(r, before, choices.revokeGrant(RandomConsents.pick(r, grants)).root());
    assertNeverWider(r, before, choices.revokeAll().root());
  }

  @Property(tries = 300)
  void addingADenyNeverWidensAccess(@ForAll Random r) {
    Provision before = RandomConsents.root(r);
    Provision deny = RandomConsents.provision(r, 3).toBuilder().provisions(List.of()).build();
    Provision leaf = Provision.deny().build().toBuilder().build();
    Provision added = deny.type().equals(Optional.of(ProvisionType.DENY)) ? deny : leaf;
    List<Integer> path = RandomConsents.pick(r, RandomConsents.paths(before));
    Provision after =
        RandomConsents.edit(before, path, p -> Optional.of(p.toBuilder().provision(added).build()))
            .orElseThrow();
    assertNeverWider(r, before, after);
  }

  @Property(tries = 300)
  void aSensitiveDenyIsNeverOverriddenByABroaderPermit(@ForAll Random r) {
    Set<SecurityLabel> labels = RandomConsents.subset(r, RandomConsents.LABELS);
    Provision deny = Provision.deny().id("category").securityLabels(labels).build();
    Provision root = RandomConsents.root(r);
    List<Provision> children = new ArrayList<>(root.provisions());
    children.add(r.nextInt(children.size() + 1), deny);
    Optional<ConsentVersion> consent =
        Optional.of(RandomConsents.version(root.toBuilder().provisions(children).build()));
    PolicyDecisionPoint pdp = new PolicyDecisionPoint(RandomConsents.defaults(r));
    for (int i = 0; i < REQUESTS; i++) {
      AccessRequest req = RandomConsents.request(r);
      if (!Collections.disjoint(req.record().labels(), labels)) {
        assertThat(pdp.decide(Fixtures.PATIENT, consent, req).permitted())
            .as("request %s", req)
            .isFalse();
      }
    }
  }

  @Property(tries = 200)
  void decisionsAndSnapshotsAreDeterministic(@ForAll long seed) {
    Provision a = RandomConsents.root(new Random(seed));
    Provision b = RandomConsents.root(new Random(seed));
    assertThat(RandomConsents.version(a).hash()).isEqualTo(RandomConsents.version(b).hash());
    PolicyDecisionPoint pdp = new PolicyDecisionPoint(RandomConsents.defaults(new Random(seed)));
    Random r = new Random(seed + 1);
    for (int i = 0; i < REQUESTS; i++) {
      AccessRequest req = RandomConsents.request(r);
      assertThat(pdp.decide(Fixtures.PATIENT, Optional.of(RandomConsents.version(b)), req))
          .isEqualTo(pdp.decide(Fixtures.PATIENT, Optional.of(RandomConsents.version(a)), req));
    }
  }

  @Property(tries = 300)
  void decisionsDoNotDependOnTheOrderOfProvisions(@ForAll Random r) {
    Provision root = RandomConsents.root(r);
    Provision shuffled = shuffle(root, r);
    PolicyDecisionPoint pdp = new PolicyDecisionPoint(RandomConsents.defaults(r));
    Optional<ConsentVersion> a = Optional.of(RandomConsents.version(root));
    Optional<ConsentVersion> b = Optional.of(RandomConsents.version(shuffled));
    for (int i = 0; i < REQUESTS; i++) {
      AccessRequest req = RandomConsents.request(r);
      assertThat(pdp.decide(Fixtures.PATIENT, b, req).permitted())
          .as("request %s", req)
          .isEqualTo(pdp.decide(Fixtures.PATIENT, a, req).permitted());
    }
  }

  @Property(tries = 200)
  void replayAsOfATimeEqualsTheDecisionMadeThen(@ForAll Random r) {
    List<ConsentHistory> prefixes = new ArrayList<>();
    ConsentHistory history = ConsentHistory.empty(Fixtures.PATIENT);
    prefixes.add(history);
    int day = r.nextInt(3);
    for (int i = 0; i < 1 + r.nextInt(5); i++) {
      history = history.append(RandomConsents.root(r), Fixtures.day(day));
      prefixes.add(history);
      day += r.nextInt(4);
    }
    PolicyDecisionPoint pdp = new PolicyDecisionPoint(RandomConsents.defaults(r));
    for (int i = 0; i < REQUESTS; i++) {
      AccessRequest req = RandomConsents.request(r);
      ConsentHistory then = knownAt(prefixes, req.context().time());
      assertThat(pdp.decideAsOf(history, req)).isEqualTo(pdp.decide(then, req));
    }
  }

  /** The history as it stood at the instant: every version recorded by then. */
  private static ConsentHistory knownAt(List<ConsentHistory> prefixes, Instant t) {
    ConsentHistory known = prefixes.get(0);
    for (ConsentHistory h : prefixes) {
      if (h.current().map(v -> !v.recordedAt().isAfter(t)).orElse(true)) {
        known = h;
      }
    }
    return known;
  }

  private static void assertNeverWider(Random r, Provision before, Provision after) {
    PolicyDecisionPoint pdp = new PolicyDecisionPoint(RandomConsents.defaults(r));
    Optional<ConsentVersion> b = Optional.of(RandomConsents.version(before));
    Optional<ConsentVersion> a = Optional.of(RandomConsents.version(after));
    for (int i = 0; i < REQUESTS; i++) {
      AccessRequest req = RandomConsents.request(r);
      if (pdp.decide(Fixtures.PATIENT, a, req).permitted()) {
        assertThat(pdp.decide(Fixtures.PATIENT, b, req).permitted())
            .as("widened for %s", req)
            .isTrue();
      }
    }
  }

  private static boolean containsDeny(Provision p) {
    return p.type().equals(Optional.of(ProvisionType.DENY))
        || p.provisions().stream().anyMatch(ConsentPropertiesTest::containsDeny);
  }

  private static Provision at(Provision root, List<Integer> path) {
    Provision p = root;
    for (int i : path) {
      p = p.provisions().get(i);
    }
    return p;
  }

  private static Provision shuffle(Provision p, Random r) {
    List<Provision> children = new ArrayList<>();
    for (Provision c : p.provisions()) {
      children.add(shuffle(c, r));
    }
    Collections.shuffle(children, r);
    return p.toBuilder().provisions(children).build();
  }
}

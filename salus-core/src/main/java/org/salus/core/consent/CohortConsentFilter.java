package org.salus.core.consent;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Selects, among candidate persons, those whose consent permits a study's request at the person
 * level ({@link RecordFacts#person()}), and identifies the consent state used. Record-level
 * exclusions (a sensitive label, a data period) are applied afterwards with {@link
 * PolicyDecisionPoint#filter} when the records are read.
 */
public final class CohortConsentFilter {

  private final PolicyDecisionPoint pdp;

  public CohortConsentFilter(PolicyDecisionPoint pdp) {
    this.pdp = Objects.requireNonNull(pdp, "pdp");
  }

  /** A candidate: the person key and the consent in force for them (empty if none recorded). */
  public record Candidate(String personKey, Optional<ConsentVersion> consent) {
    public Candidate {
      Objects.requireNonNull(personKey, "personKey");
      Objects.requireNonNull(consent, "consent");
    }

    SnapshotHash snapshot() {
      return consent
          .map(ConsentVersion::hash)
          .orElseGet(() -> PolicyDecisionPoint.noConsent(personKey));
    }
  }

  /**
   * The included person keys, in candidate order, and the cohort snapshot hash: SHA-256 over the
   * node defaults' hash followed by every candidate's snapshot hash in ascending byte order (so it
   * depends on the consents considered, not on the order they came in).
   */
  public record Selection(List<String> included, int considered, SnapshotHash snapshot) {
    public Selection {
      included = List.copyOf(included);
    }
  }

  public Selection select(Candidate[] candidates, RequestContext context) {
    AccessRequest request = new AccessRequest(context, RecordFacts.person());
    String[] included = new String[candidates.length];
    SnapshotHash[] hashes = new SnapshotHash[candidates.length];
    int n = 0;
    for (int i = 0; i < candidates.length; i++) {
      Candidate c = candidates[i];
      if (pdp.decide(c.personKey(), c.consent(), request).permitted()) {
        included[n++] = c.personKey();
      }
      hashes[i] = c.snapshot();
    }
    return new Selection(
        Arrays.asList(included).subList(0, n), candidates.length, cohortHash(hashes));
  }

  private SnapshotHash cohortHash(SnapshotHash[] hashes) {
    Arrays.sort(hashes);
    MessageDigest digest = SnapshotHash.sha256();
    pdp.defaults().hash().updateInto(digest);
    for (SnapshotHash h : hashes) {
      h.updateInto(digest);
    }
    return SnapshotHash.ofDigest(digest.digest());
  }
}

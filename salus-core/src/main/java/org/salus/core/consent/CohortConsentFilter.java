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
  }

  /**
   * The included person keys, in candidate order, and the cohort snapshot hash.
   *
   * <p>The hash is SHA-256 over: the node defaults' hash; the number of candidates without a
   * recorded consent (their decisions follow from the defaults alone); then the hash of every
   * recorded consent version considered, in ascending byte order, so it does not depend on the
   * order candidates came in. Each version's hash covers its patient, so the persons are bound too.
   */
  public record Selection(List<String> included, int considered, SnapshotHash snapshot) {
    public Selection {
      included = List.copyOf(included);
    }
  }

  public Selection select(Candidate[] candidates, RequestContext context) {
    AccessRequest request = new AccessRequest(context, RecordFacts.person());
    boolean emergency = context.emergency().isPresent();
    String[] included = new String[candidates.length];
    SnapshotHash[] hashes = new SnapshotHash[candidates.length];
    int n = 0;
    int recorded = 0;
    for (Candidate c : candidates) {
      boolean permitted =
          emergency
              ? pdp.decide(c.personKey(), c.consent(), request).permitted()
              : pdp.permits(c.consent(), request);
      if (permitted) {
        included[n++] = c.personKey();
      }
      if (c.consent().isPresent()) {
        hashes[recorded++] = c.consent().get().hash();
      }
    }
    return new Selection(
        Arrays.asList(included).subList(0, n),
        candidates.length,
        cohortHash(Arrays.copyOf(hashes, recorded), candidates.length - recorded));
  }

  private SnapshotHash cohortHash(SnapshotHash[] hashes, int withoutConsent) {
    MessageDigest digest = SnapshotHash.sha256();
    pdp.defaults().hash().updateInto(digest);
    digest.update(
        new byte[] {
          (byte) (withoutConsent >>> 24),
          (byte) (withoutConsent >>> 16),
          (byte) (withoutConsent >>> 8),
          (byte) withoutConsent
        });
    SnapshotHash.updateSorted(hashes, digest);
    return SnapshotHash.ofDigest(digest.digest());
  }
}

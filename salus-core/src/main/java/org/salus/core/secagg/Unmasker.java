package org.salus.core.secagg;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.salus.core.keys.SecretBytes;

/**
 * The server's reconstruction (Bonawitz et al. 2017, Fig. 4, Unmasking): for each survivor, rebuild
 * its self-mask seed and subtract the self-mask; for each participant that shared keys but sent no
 * masked input, rebuild its masking secret key and subtract the pairwise masks its surviving
 * neighbours added for it. Refuses to reconstruct both secrets of anyone.
 */
final class Unmasker {

  private final SecAggConfig config;
  private final Map<Integer, AdvertiseKeys> keys;
  private final SortedSet<Integer> survivors;
  private final Collection<UnmaskResponse> responses;

  Unmasker(
      SecAggConfig config,
      Map<Integer, AdvertiseKeys> keys,
      SortedSet<Integer> survivors,
      Collection<UnmaskResponse> responses) {
    this.config = config;
    this.keys = keys;
    this.survivors = new TreeSet<>(survivors);
    this.responses = responses;
  }

  void removeMasks(long[] sum, SortedSet<Integer> sharedKeys) {
    for (int u : sharedKeys) {
      boolean survived = survivors.contains(u);
      List<ShamirShare> shares = new ArrayList<>();
      for (UnmaskResponse r : responses) {
        ShamirShare self = r.selfMaskShares().get(u);
        ShamirShare secret = r.secretKeyShares().get(u);
        if ((self != null && secret != null) || (survived ? secret : self) != null) {
          throw new SecAggException(
              "secagg.refused.both-shares",
              "participant " + r.from() + " revealed the wrong kind of share of " + u);
        }
        if (self != null || secret != null) {
          shares.add(self != null ? self : secret);
        }
      }
      if (shares.size() < config.threshold()) {
        SortedSet<Integer> holders = new TreeSet<>();
        shares.forEach(s -> holders.add(s.x()));
        throw new SecAggBelowThresholdException("unmask of " + u, holders, config.threshold());
      }
      if (survived) {
        SecretBytes seed = Shamir.combine(shares, MaskPrg.SEED_BYTES);
        MaskPrg.addMask(sum, seed, -1);
      } else {
        removePairwiseMasks(sum, u, Shamir.combine(shares, X25519.KEY_BYTES));
      }
    }
  }

  /**
   * A one-trip round: every survivor's self-mask from the self-mask shares the survivors revealed
   * (never a secret-key share), and the pairwise masks of each participant that declined, from the
   * masking key it revealed itself.
   */
  void removeMasksOneTrip(long[] sum, Map<Integer, SecretBytes> declinedKeys) {
    for (int u : survivors) {
      List<ShamirShare> shares = new ArrayList<>();
      for (UnmaskResponse r : responses) {
        if (!r.secretKeyShares().isEmpty()) {
          throw new SecAggException(
              "secagg.refused.both-shares",
              "participant " + r.from() + " revealed secret-key shares in a one-trip round");
        }
        ShamirShare self = r.selfMaskShares().get(u);
        if (self != null) {
          shares.add(self);
        }
      }
      if (shares.size() < config.threshold()) {
        SortedSet<Integer> holders = new TreeSet<>();
        shares.forEach(s -> holders.add(s.x()));
        throw new SecAggBelowThresholdException("unmask of " + u, holders, config.threshold());
      }
      MaskPrg.addMask(sum, Shamir.combine(shares, MaskPrg.SEED_BYTES), -1);
    }
    declinedKeys.forEach((v, key) -> removePairwiseMasks(sum, v, key));
  }

  private void removePairwiseMasks(long[] sum, int dropped, SecretBytes secretKey) {
    if (!java.util.Arrays.equals(X25519.publicKeyOf(secretKey), keys.get(dropped).maskingKey())) {
      throw new SecAggException(
          "secagg.unmask.reconstruction-failed",
          "reconstructed key of participant " + dropped + " does not match its public key");
    }
    for (int v : config.graph().neighbours(dropped)) {
      if (survivors.contains(v)) {
        SecretBytes seed =
            PairwiseKeys.derive(
                secretKey, keys.get(v).maskingKey(), config.roundId(), PairwiseKeys.MASK_SEED);
        // v added sign(v, dropped) × PRG(seed): subtract it.
        MaskPrg.addMask(sum, seed, v < dropped ? -1 : 1);
      }
    }
  }
}

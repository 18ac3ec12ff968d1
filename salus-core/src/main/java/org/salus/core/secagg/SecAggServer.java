package org.salus.core.secagg;

import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The server's side of a secure-aggregation round (Bonawitz et al., CCS 2017, Fig. 4). A one-shot
 * state machine over four phases; in each, {@code receive...} takes one message per participant (a
 * second from the same participant throws) and {@code close...} ends the phase, records who
 * remains, and fails with {@link SecAggBelowThresholdException} when fewer than the threshold do.
 * {@link #finish} returns the exact sum over the participants whose masked input arrived.
 */
public final class SecAggServer {

  private enum Phase {
    ADVERTISE,
    SHARE_KEYS,
    MASKED_INPUT,
    UNMASK,
    DONE
  }

  private final SecAggConfig config;
  private Phase phase = Phase.ADVERTISE;

  private final SortedMap<Integer, AdvertiseKeys> advertised = new TreeMap<>();
  private final SortedMap<Integer, EncryptedShares> shared = new TreeMap<>();
  private final SortedMap<Integer, long[]> masked = new TreeMap<>();
  private final SortedMap<Integer, UnmaskRequest> requests = new TreeMap<>();
  private final SortedMap<Integer, UnmaskResponse> responses = new TreeMap<>();

  public SecAggServer(SecAggConfig config) {
    this.config = config;
  }

  /** Round 0: one participant's public keys. */
  public void receiveAdvertisement(AdvertiseKeys message) {
    expect(Phase.ADVERTISE);
    requireOnce(message.from(), config.participants(), advertised.keySet(), "advertise");
    advertised.put(message.from(), message);
  }

  /** Ends round 0; returns the directory to broadcast. */
  public KeyDirectory closeAdvertisements() {
    close(Phase.ADVERTISE, "advertise", advertised.keySet());
    return KeyDirectory.of(advertised);
  }

  /** Round 1: one participant's encrypted shares, addressed to its advertised neighbours. */
  public void receiveShares(EncryptedShares message) {
    expect(Phase.SHARE_KEYS);
    requireOnce(message.from(), advertised.keySet(), shared.keySet(), "share-keys");
    SortedSet<Integer> allowed = config.graph().closedNeighbourhood(message.from());
    allowed.retainAll(advertised.keySet());
    if (!allowed.containsAll(message.ciphertextsByRecipient().keySet())) {
      throw new SecAggException(
          "secagg.protocol.bad-recipients",
          "participant " + message.from() + " addressed shares outside its neighbourhood");
    }
    shared.put(message.from(), message);
  }

  /** Ends round 1; returns, per participant that sent shares, the ciphertexts addressed to it. */
  public Map<Integer, ShareDelivery> closeShares() {
    close(Phase.SHARE_KEYS, "share-keys", shared.keySet());
    SortedMap<Integer, ShareDelivery> out = new TreeMap<>();
    for (int v : shared.keySet()) {
      SortedMap<Integer, byte[]> inbox = new TreeMap<>();
      for (EncryptedShares s : shared.values()) {
        byte[] c = s.ciphertextsByRecipient().get(v);
        if (c != null) {
          inbox.put(s.from(), c);
        }
      }
      out.put(v, new ShareDelivery(v, inbox));
    }
    return out;
  }

  /** Round 2: one participant's masked input. */
  public void receiveMaskedInput(MaskedInput message) {
    expect(Phase.MASKED_INPUT);
    requireOnce(message.from(), shared.keySet(), masked.keySet(), "masked-input");
    if (message.masked().length != config.vectorLength()) {
      throw new SecAggException(
          "secagg.input.bad-length",
          "participant " + message.from() + " sent a vector of the wrong length");
    }
    masked.put(message.from(), message.masked());
  }

  /**
   * Ends round 2; returns, per survivor, what to unmask: self-mask shares of its surviving
   * share-givers, secret-key shares of those that dropped after sharing. Never both for anyone.
   */
  public Map<Integer, UnmaskRequest> closeMaskedInputs() {
    close(Phase.MASKED_INPUT, "masked-input", masked.keySet());
    for (int v : masked.keySet()) {
      SortedSet<Integer> givers = config.graph().closedNeighbourhood(v);
      givers.retainAll(shared.keySet());
      SortedSet<Integer> survivors = new TreeSet<>(givers);
      survivors.retainAll(masked.keySet());
      SortedSet<Integer> dropped = new TreeSet<>(givers);
      dropped.removeAll(masked.keySet());
      requests.put(v, new UnmaskRequest(v, survivors, dropped));
    }
    return new TreeMap<>(requests);
  }

  /** Round 3: one survivor's shares; must answer exactly the request sent to it. */
  public void receiveUnmasking(UnmaskResponse message) {
    expect(Phase.UNMASK);
    requireOnce(message.from(), masked.keySet(), responses.keySet(), "unmask");
    UnmaskRequest asked = requests.get(message.from());
    if (!message.selfMaskShares().keySet().equals(asked.selfMaskOf())
        || !message.secretKeyShares().keySet().equals(asked.secretKeyOf())) {
      throw new SecAggException(
          "secagg.protocol.bad-response",
          "participant " + message.from() + " answered a different request");
    }
    responses.put(message.from(), message);
  }

  /** Ends round 3: removes every mask and returns the sum over the survivors of round 2. */
  public AggregationResult finish() {
    close(Phase.UNMASK, "unmask", responses.keySet());
    long[] sum = new long[config.vectorLength()];
    for (long[] y : masked.values()) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += y[i];
      }
    }
    new Unmasker(config, advertised, new TreeSet<>(masked.keySet()), responses.values())
        .removeMasks(sum, new TreeSet<>(shared.keySet()));
    SortedSet<Integer> dropped = new TreeSet<>(config.participants());
    dropped.removeAll(masked.keySet());
    return new AggregationResult(sum, new TreeSet<>(masked.keySet()), dropped);
  }

  private void expect(Phase expected) {
    if (phase != expected) {
      throw new SecAggException(
          "secagg.out-of-order", "server is at phase " + phase + ", not " + expected);
    }
  }

  private void close(Phase expected, String name, java.util.Set<Integer> remaining) {
    expect(expected);
    phase = Phase.DONE; // a failure below ends the round
    if (remaining.size() < config.threshold()) {
      throw new SecAggBelowThresholdException(name, new TreeSet<>(remaining), config.threshold());
    }
    phase = next(expected);
  }

  private static Phase next(Phase p) {
    return switch (p) {
      case ADVERTISE -> Phase.SHARE_KEYS;
      case SHARE_KEYS -> Phase.MASKED_INPUT;
      case MASKED_INPUT -> Phase.UNMASK;
      case UNMASK, DONE -> Phase.DONE;
    };
  }

  private static void requireOnce(
      int from, java.util.Set<Integer> eligible, java.util.Set<Integer> seen, String name) {
    if (!eligible.contains(from)) {
      throw new SecAggException(
          "secagg.protocol.unexpected-sender",
          "phase " + name + ": participant " + from + " is not expected");
    }
    if (seen.contains(from)) {
      throw new SecAggException(
          "secagg.protocol.duplicate", "phase " + name + ": participant " + from + " sent twice");
    }
  }
}

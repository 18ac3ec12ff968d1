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
  private final SortedMap<Integer, DeclinedRound> declined = new TreeMap<>();
  private int inputLength;

  public SecAggServer(SecAggConfig config) {
    this.config = config;
    this.inputLength = config.vectorLength();
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
    // answered(), not masked alone: a participant that declined a one-trip round revealed its
    // masking key, so a vector of its own must not be summed (its masks would be removed twice).
    requireOnce(message.from(), shared.keySet(), answered(), "masked-input");
    long[] y = message.masked();
    checkLength(message.from(), y.length);
    masked.put(message.from(), y);
  }

  /**
   * A one-trip round (docs/secagg-dp.md): instead of rounds 2 and 3, one contributor's masked input
   * together with its shares of the self-mask seed of every participant that shared keys with it.
   */
  public void receiveOneTrip(OneTripInput message) {
    expect(Phase.MASKED_INPUT);
    int from = message.from();
    requireOnce(from, shared.keySet(), answered(), "one-trip");
    long[] y = message.masked().masked();
    if (!message.selfMaskShares().selfMaskShares().keySet().equals(givers(from))) {
      throw new SecAggException(
          "secagg.protocol.bad-response",
          "participant " + from + " revealed shares of other participants than shared with it");
    }
    checkLength(from, y.length);
    masked.put(from, y);
    responses.put(from, message.selfMaskShares());
  }

  /**
   * A one-trip round: a participant that shared keys and then declined to contribute reveals its
   * own masking secret key; refused unless it is the key it advertised.
   */
  public void receiveDecline(DeclinedRound message) {
    expect(Phase.MASKED_INPUT);
    int from = message.from();
    requireOnce(from, shared.keySet(), answered(), "one-trip");
    if (!java.util.Arrays.equals(
        X25519.publicKeyOf(message.maskingSecretKey()), advertised.get(from).maskingKey())) {
      throw new SecAggException(
          "secagg.unmask.reconstruction-failed",
          "the key participant " + from + " revealed is not the masking key it advertised");
    }
    declined.put(from, message);
  }

  /**
   * Ends a one-trip round: the exact sum over the contributors. Every participant whose pairwise
   * masks are in that sum (a neighbour of a contributor that shared keys) must have contributed or
   * declined; one that did neither makes the round unreadable ({@code secagg.one-trip.incomplete},
   * naming it): nobody revealed its secret-key shares, so its masks cannot be removed, and its
   * input, if it arrives late, stays hidden. Fewer contributors than the threshold fail as below
   * it.
   */
  public AggregationResult finishOneTrip() {
    expect(Phase.MASKED_INPUT);
    phase = Phase.DONE;
    SortedSet<Integer> missing = new TreeSet<>();
    for (int u : masked.keySet()) {
      for (int v : config.graph().neighbours(u)) {
        if (shared.containsKey(v) && !masked.containsKey(v) && !declined.containsKey(v)) {
          missing.add(v);
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new SecAggException(
          ONE_TRIP_INCOMPLETE,
          "no answer from participants "
              + missing
              + " in a one-trip round; their pairwise masks cannot be removed in it");
    }
    if (masked.size() < config.threshold()) {
      throw new SecAggBelowThresholdException(
          "one-trip", new TreeSet<>(masked.keySet()), config.threshold());
    }
    long[] sum = new long[Math.max(inputLength, 0)];
    for (long[] y : masked.values()) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += y[i];
      }
    }
    SortedMap<Integer, org.salus.core.keys.SecretBytes> keys = new TreeMap<>();
    declined.forEach((v, d) -> keys.put(v, d.maskingSecretKey()));
    new Unmasker(config, advertised, new TreeSet<>(masked.keySet()), responses.values())
        .removeMasksOneTrip(sum, keys);
    SortedSet<Integer> dropped = new TreeSet<>(config.participants());
    dropped.removeAll(masked.keySet());
    return new AggregationResult(sum, new TreeSet<>(masked.keySet()), dropped);
  }

  /** Stable code of a one-trip round that lost a participant between its keys and its answer. */
  public static final String ONE_TRIP_INCOMPLETE = "secagg.one-trip.incomplete";

  private java.util.Set<Integer> answered() {
    java.util.Set<Integer> all = new TreeSet<>(masked.keySet());
    all.addAll(declined.keySet());
    return all;
  }

  private SortedSet<Integer> givers(int v) {
    SortedSet<Integer> givers = config.graph().closedNeighbourhood(v);
    givers.retainAll(shared.keySet());
    return givers;
  }

  private void checkLength(int from, int length) {
    if (inputLength == SecAggConfig.AT_INPUT) {
      inputLength = length;
    } else if (length != inputLength) {
      throw new SecAggException(
          "secagg.input.bad-length", "participant " + from + " sent a vector of the wrong length");
    }
  }

  /**
   * Ends round 2; returns, per survivor, what to unmask: self-mask shares of its surviving
   * share-givers, secret-key shares of those that dropped after sharing. Never both for anyone.
   */
  public Map<Integer, UnmaskRequest> closeMaskedInputs() {
    close(Phase.MASKED_INPUT, "masked-input", masked.keySet());
    for (int v : masked.keySet()) {
      SortedSet<Integer> givers = givers(v);
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
    long[] sum = new long[Math.max(inputLength, 0)];
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

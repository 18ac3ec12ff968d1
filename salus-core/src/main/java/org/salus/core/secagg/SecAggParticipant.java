package org.salus.core.secagg;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.salus.core.keys.SecretBytes;

/**
 * One participant's side of a secure-aggregation round (Bonawitz et al., "Practical Secure
 * Aggregation for Privacy-Preserving Machine Learning", CCS 2017, Fig. 4, semi-honest variant). A
 * one-shot state machine: {@link #advertiseKeys}, {@link #shareKeys}, {@link #maskedInput}, {@link
 * #unmask}, each exactly once and in this order; any other call throws {@code secagg.out-of-order},
 * and a refused step leaves the participant unusable.
 */
public final class SecAggParticipant {

  private enum Phase {
    ADVERTISE,
    SHARE_KEYS,
    MASKED_INPUT,
    UNMASK,
    DONE
  }

  private final int id;
  private final SecAggConfig config;
  private final SecureRandom random;
  private Phase phase = Phase.ADVERTISE;

  private X25519.KeyPair encryptionKeys;
  private X25519.KeyPair maskingKeys;
  private KeyDirectory directory;
  private ShareDelivery received;
  private SecretBytes selfMask;
  private final SortedMap<Integer, SecretBytes> shareKeys = new TreeMap<>();

  /** A participant using a fresh {@link SecureRandom}. */
  public SecAggParticipant(int id, SecAggConfig config) {
    this(id, config, new SecureRandom());
  }

  /** The seeded door for tests and benchmarks of this package. */
  SecAggParticipant(int id, SecAggConfig config, SecureRandom random) {
    if (!config.participants().contains(id)) {
      throw new SecAggException(
          "secagg.unknown-participant", "participant " + id + " is not in the round");
    }
    this.id = id;
    this.config = config;
    this.random = random;
  }

  public int id() {
    return id;
  }

  /** Round 0: fresh key pairs for this round; returns their public halves. */
  public AdvertiseKeys advertiseKeys() {
    advance(Phase.ADVERTISE);
    encryptionKeys = X25519.generate(random);
    maskingKeys = X25519.generate(random);
    return new AdvertiseKeys(id, encryptionKeys.publicKey(), maskingKeys.publicKey());
  }

  /**
   * Round 1: draws the self-mask seed and shares it and the masking secret key among this
   * participant's closed neighbourhood, one ciphertext each.
   */
  public EncryptedShares shareKeys(KeyDirectory keys) {
    advance(Phase.SHARE_KEYS);
    AdvertiseKeys mine = keys.keys().get(id);
    if (mine == null
        || !java.util.Arrays.equals(mine.encryptionKey(), encryptionKeys.publicKey())
        || !java.util.Arrays.equals(mine.maskingKey(), maskingKeys.publicKey())) {
      throw refuse("secagg.refused.directory", "the key directory does not carry my keys");
    }
    List<Integer> holders = new ArrayList<>(holders(keys.keys().keySet()));
    requireAtLeastThreshold("share-keys", new TreeSet<>(holders));
    directory = keys;
    SecretBytes selfMaskSeed = SecretBytes.random(MaskPrg.SEED_BYTES, random);
    selfMask = selfMaskSeed;
    int t = config.threshold();
    List<ShamirShare> skShares = Shamir.split(maskingKeys.privateKey(), t, holders, random);
    List<ShamirShare> bShares = Shamir.split(selfMaskSeed, t, holders, random);
    SortedMap<Integer, byte[]> out = new TreeMap<>();
    for (int i = 0; i < holders.size(); i++) {
      int v = holders.get(i);
      SecretBytes key = shareKey(v);
      var pair = new ShareCipher.SharePair(skShares.get(i), bShares.get(i));
      out.put(v, ShareCipher.encrypt(key, config.roundId(), id, v, pair, random));
    }
    return new EncryptedShares(id, out);
  }

  /**
   * Round 2: masks the input with the self-mask and a pairwise mask per neighbour that sent shares
   * ({@code +PRG(s_uv)} when this id is the smaller, {@code −PRG(s_uv)} otherwise).
   */
  public MaskedInput maskedInput(ShareDelivery delivery, long[] input) {
    advance(Phase.MASKED_INPUT);
    if (delivery.recipient() != id) {
      throw refuse(
          "secagg.refused.delivery", "shares delivered for participant " + delivery.recipient());
    }
    SortedSet<Integer> senders = new TreeSet<>(delivery.ciphertextsBySender().keySet());
    if (!senders.contains(id) || !holders(directory.keys().keySet()).containsAll(senders)) {
      throw refuse("secagg.refused.delivery", "delivered shares come from unexpected senders");
    }
    requireAtLeastThreshold("masked-input", senders);
    if (config.vectorLength() != SecAggConfig.AT_INPUT && input.length != config.vectorLength()) {
      // Nothing masked or revealed yet: the participant stays where it was, free to decline a
      // one-trip round (or to retry), instead of half-advanced with no shares to reveal.
      phase = Phase.MASKED_INPUT;
      throw new SecAggException(
          "secagg.input.bad-length",
          "input has " + input.length + " elements, the round expects " + config.vectorLength());
    }
    received = delivery;
    long[] y = input.clone();
    MaskPrg.addMask(y, selfMask, 1);
    for (int v : senders) {
      if (v != id) {
        SecretBytes seed =
            PairwiseKeys.derive(
                maskingKeys.privateKey(),
                directory.keys().get(v).maskingKey(),
                config.roundId(),
                PairwiseKeys.MASK_SEED);
        MaskPrg.addMask(y, seed, id < v ? 1 : -1);
        seed.destroy();
      }
    }
    return new MaskedInput(id, y);
  }

  /**
   * Round 3: reveals self-mask shares of the named survivors and secret-key shares of the named
   * dropped participants. Refuses a request that names anyone in both sets, names this participant
   * as dropped, does not account exactly for the shares it holds, or leaves fewer survivors than
   * the threshold.
   */
  public UnmaskResponse unmask(UnmaskRequest request) {
    advance(Phase.UNMASK);
    SortedSet<Integer> both = new TreeSet<>(request.selfMaskOf());
    both.retainAll(request.secretKeyOf());
    if (!both.isEmpty()) {
      throw refuse(
          "secagg.refused.both-shares",
          "server asked for both the self-mask and the secret key of participants " + both);
    }
    SortedSet<Integer> all = new TreeSet<>(request.selfMaskOf());
    all.addAll(request.secretKeyOf());
    if (request.recipient() != id
        || !request.selfMaskOf().contains(id)
        || !all.equals(received.ciphertextsBySender().keySet())) {
      throw refuse("secagg.refused.request", "unmask request does not match the shares held");
    }
    requireAtLeastThreshold("unmask", request.selfMaskOf());
    SortedMap<Integer, ShamirShare> selfMasks = new TreeMap<>();
    SortedMap<Integer, ShamirShare> secretKeys = new TreeMap<>();
    for (int u : all) {
      ShareCipher.SharePair pair =
          ShareCipher.decrypt(
              shareKey(u), config.roundId(), u, id, received.ciphertextsBySender().get(u));
      if (request.selfMaskOf().contains(u)) {
        selfMasks.put(u, pair.selfMask());
      } else {
        secretKeys.put(u, pair.secretKey());
      }
    }
    return new UnmaskResponse(id, selfMasks, secretKeys);
  }

  /**
   * A one-trip round (rounds 2 and 3 in one message): masks the input as {@link #maskedInput} does
   * and reveals, with it, this participant's shares of the self-mask seed of every participant
   * whose shares it received, itself included. The round ends here: no secret-key share is ever
   * revealed in it, so the server can unmask only when every one of those participants either
   * contributed or {@linkplain #decline declined}; a participant lost in between leaves the round
   * unreadable (the server then needs a new round), never one input exposed. The delivery must
   * carry the shares of every neighbour in the masking graph (a one-trip round is prepared only
   * when every participant shared its keys); otherwise it is refused ({@code
   * secagg.refused.delivery}).
   */
  public OneTripInput maskAndReveal(ShareDelivery delivery, long[] input) {
    if (phase == Phase.MASKED_INPUT
        && !delivery
            .ciphertextsBySender()
            .keySet()
            .equals(config.graph().closedNeighbourhood(id))) {
      // Every neighbour must have shared keys: a server that left one out of this participant's
      // round would have it mask with fewer neighbours, and could then strip those masks with
      // the keys of neighbours it made decline while the left-out one still revealed its share of
      // this participant's self-mask.
      throw refuse(
          "secagg.refused.delivery",
          "a one-trip round needs the shares of every neighbour, got "
              + delivery.ciphertextsBySender().keySet());
    }
    MaskedInput masked = maskedInput(delivery, input);
    UnmaskResponse shares =
        unmask(
            new UnmaskRequest(
                id, new TreeSet<>(received.ciphertextsBySender().keySet()), new TreeSet<>()));
    return new OneTripInput(masked, shares);
  }

  /**
   * A one-trip round this participant leaves after sharing its keys, before masking anything (its
   * step was withheld or failed): reveals its own masking secret key of the round, so the server
   * can remove the pairwise masks the contributors added for it, and ends the round here.
   */
  public DeclinedRound decline() {
    advance(Phase.MASKED_INPUT);
    phase = Phase.DONE;
    return new DeclinedRound(id, maskingKeys.privateKey());
  }

  private SortedSet<Integer> holders(java.util.Set<Integer> advertised) {
    SortedSet<Integer> holders = new TreeSet<>(config.graph().closedNeighbourhood(id));
    holders.retainAll(advertised);
    return holders;
  }

  /** The AES-GCM key shared with a peer, agreed once per round and kept until it ends. */
  private SecretBytes shareKey(int peer) {
    return shareKeys.computeIfAbsent(peer, this::agreeShareKey);
  }

  private SecretBytes agreeShareKey(int peer) {
    if (peer == id) {
      // The share a participant keeps for itself travels through the server like the others, but
      // only it ever decrypts it: a fresh random key serves as well as X25519(c_u^SK, c_u^PK) and
      // saves one agreement per participant and round.
      return SecretBytes.random(32, random);
    }
    return PairwiseKeys.derive(
        encryptionKeys.privateKey(),
        directory.keys().get(peer).encryptionKey(),
        config.roundId(),
        PairwiseKeys.SHARE_KEY);
  }

  private void requireAtLeastThreshold(String phaseName, SortedSet<Integer> remaining) {
    if (remaining.size() < config.threshold()) {
      phase = Phase.DONE;
      throw new SecAggBelowThresholdException(phaseName, remaining, config.threshold());
    }
  }

  private SecAggException refuse(String code, String message) {
    phase = Phase.DONE;
    return new SecAggException(code, "participant " + id + ": " + message);
  }

  private void advance(Phase expected) {
    if (phase != expected) {
      throw new SecAggException(
          "secagg.out-of-order",
          "participant " + id + " is at phase " + phase + ", not " + expected);
    }
    phase =
        switch (expected) {
          case ADVERTISE -> Phase.SHARE_KEYS;
          case SHARE_KEYS -> Phase.MASKED_INPUT;
          case MASKED_INPUT -> Phase.UNMASK;
          case UNMASK, DONE -> Phase.DONE;
        };
  }
}

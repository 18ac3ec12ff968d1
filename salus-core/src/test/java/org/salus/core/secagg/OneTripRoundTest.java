package org.salus.core.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.salus.core.keys.SecretBytes;

/**
 * One-trip rounds (SecAggParticipant#maskAndReveal / #decline, SecAggServer#finishOneTrip): keys
 * advertised and shared first, then one message per participant, then the exact sum over the
 * contributors, or a refusal that leaves every individual input hidden.
 */
class OneTripRoundTest {

  private static final byte[] ROUND = {1, 2, 3, 4};

  /** A round driven by hand: keys advertised and shared, the one-trip step left to the test. */
  static final class Keyed {
    final SecAggConfig config;
    final SecAggServer server;
    final SortedMap<Integer, SecAggParticipant> participants = new TreeMap<>();
    final Map<Integer, ShareDelivery> deliveries;

    /** Everyone advertises; those in {@code sharing} share keys; share-keys is closed. */
    Keyed(SecAggConfig config, long seed, Set<Integer> sharing) {
      this.config = config;
      this.server = new SecAggServer(config);
      for (int id : config.participants()) {
        SecAggParticipant p =
            new SecAggParticipant(id, config, Simulation.seeded(seed * 1000 + id));
        participants.put(id, p);
        server.receiveAdvertisement(p.advertiseKeys());
      }
      KeyDirectory directory = server.closeAdvertisements();
      for (int id : sharing) {
        server.receiveShares(participants.get(id).shareKeys(directory));
      }
      deliveries = server.closeShares();
    }

    Keyed(SecAggConfig config, long seed) {
      this(config, seed, config.participants());
    }

    OneTripInput answer(int id, long[] input) {
      return participants.get(id).maskAndReveal(deliveries.get(id), input);
    }

    DeclinedRound decline(int id) {
      return participants.get(id).decline();
    }
  }

  private static SortedSet<Integer> ids(int n) {
    return new TreeSet<>(Simulation.range(n));
  }

  private static SecAggConfig withThreshold(SortedSet<Integer> ids, int t, int length) {
    return new SecAggConfig(ids, t, length, ROUND, MaskingGraph.complete(ids));
  }

  private static Map<Integer, long[]> randomInputs(Set<Integer> ids, int length, Random r) {
    Map<Integer, long[]> inputs = new HashMap<>();
    for (int id : ids) {
      inputs.put(id, r.longs(length).toArray());
    }
    return inputs;
  }

  /** Inputs at the edges of the ring: their sum wraps around 2^64 several times. */
  private static Map<Integer, long[]> extremeInputs(Set<Integer> ids) {
    long[] edges = {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1, Long.MAX_VALUE - 1};
    Map<Integer, long[]> inputs = new HashMap<>();
    for (int id : ids) {
      long[] x = new long[edges.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = edges[(i + id) % edges.length];
      }
      inputs.put(id, x);
    }
    return inputs;
  }

  private static long[] plainSum(Map<Integer, long[]> inputs, Set<Integer> ids, int length) {
    long[] sum = new long[length];
    for (int id : ids) {
      long[] x = inputs.get(id);
      for (int i = 0; i < length; i++) {
        sum[i] += x[i];
      }
    }
    return sum;
  }

  private static SortedSet<Integer> without(Set<Integer> all, Set<Integer> removed) {
    SortedSet<Integer> out = new TreeSet<>(all);
    out.removeAll(removed);
    return out;
  }

  private static void assertCode(Throwable e, String code) {
    assertThat(e).isInstanceOf(SecAggException.class);
    assertThat(((SecAggException) e).code()).isEqualTo(code);
  }

  // ---- everyone contributes -------------------------------------------------------------------

  @ParameterizedTest(name = "n = {0}, threshold {1} (0: default)")
  @CsvSource({"3,0", "3,3", "5,0", "5,5", "10,0", "10,10"})
  void allContributeAndTheSumIsExactModTwoToThe64(int n, int threshold) {
    SortedSet<Integer> ids = ids(n);
    SecAggConfig config =
        threshold == 0
            ? SecAggConfig.complete(ids, SecAggConfig.AT_INPUT, ROUND)
            : withThreshold(ids, threshold, SecAggConfig.AT_INPUT);
    Keyed round = new Keyed(config, n * 31L + threshold);
    Map<Integer, long[]> inputs = extremeInputs(ids);
    for (int id : ids) {
      round.server.receiveOneTrip(round.answer(id, inputs.get(id)));
    }
    AggregationResult result = round.server.finishOneTrip();
    long[] expected = plainSum(inputs, ids, 6);
    assertThat(result.sum()).isEqualTo(expected);
    assertThat(result.contributors()).isEqualTo(ids);
    assertThat(result.dropped()).isEmpty();
    // Not vacuous: the plain sum of these edges wraps, and differs from the sum over all but one.
    assertThat(expected).isNotEqualTo(plainSum(inputs, without(ids, Set.of(1)), 6));
  }

  @Test
  void theFirstInputFixesTheLengthOfAnAtInputRoundAndAnotherLengthIsRefused() {
    SortedSet<Integer> ids = ids(4);
    Keyed round = new Keyed(SecAggConfig.complete(ids, SecAggConfig.AT_INPUT, ROUND), 11);
    Map<Integer, long[]> inputs = randomInputs(ids, 3, new Random(11));
    round.server.receiveOneTrip(round.answer(1, inputs.get(1)));
    OneTripInput longer = round.answer(2, new long[] {1, 2, 3, 4});
    assertThatThrownBy(() -> round.server.receiveOneTrip(longer))
        .satisfies(e -> assertCode(e, "secagg.input.bad-length"))
        .hasMessageContaining("participant 2");
    OneTripInput shorter = round.answer(3, new long[] {1, 2});
    assertThatThrownBy(() -> round.server.receiveOneTrip(shorter))
        .satisfies(e -> assertCode(e, "secagg.input.bad-length"));
    // The refusals left the server usable: 4's answer of the right length is still taken, while 2
    // and 3, whose answers were refused, are gaps that leave the round unreadable.
    round.server.receiveOneTrip(round.answer(4, inputs.get(4)));
    assertThatThrownBy(round.server::finishOneTrip)
        .satisfies(e -> assertCode(e, SecAggServer.ONE_TRIP_INCOMPLETE))
        .hasMessageContaining("[2, 3]");
  }

  @Test
  void anAtInputRoundOfZeroLengthSumsToTheEmptyVector() {
    SortedSet<Integer> ids = ids(3);
    Keyed round = new Keyed(SecAggConfig.complete(ids, SecAggConfig.AT_INPUT, ROUND), 12);
    for (int id : ids) {
      round.server.receiveOneTrip(round.answer(id, new long[0]));
    }
    assertThat(round.server.finishOneTrip().sum()).isEmpty();
  }

  @Test
  void aParticipantOfAFixedLengthRoundRefusesAnInputOfAnotherLength() {
    SortedSet<Integer> ids = ids(3);
    Keyed round = new Keyed(SecAggConfig.complete(ids, 2, ROUND), 13);
    assertThatThrownBy(() -> round.answer(1, new long[3]))
        .satisfies(e -> assertCode(e, "secagg.input.bad-length"));
  }

  @Test
  void aParticipantWhoseInputWasRefusedCanStillDeclineAndTheRoundSums() {
    // Nothing was masked or revealed for the refused input, so the participant may leave the round
    // as decline() describes ("its step ... failed") instead of leaving it unreadable for all.
    SortedSet<Integer> ids = ids(4);
    Keyed round = new Keyed(SecAggConfig.complete(ids, 2, ROUND), 14);
    assertThatThrownBy(() -> round.answer(1, new long[3]))
        .satisfies(e -> assertCode(e, "secagg.input.bad-length"));
    SecAggParticipant p = round.participants.get(1);
    assertThatThrownBy(() -> p.unmask(new UnmaskRequest(1, ids, new TreeSet<>())))
        .satisfies(e -> assertCode(e, "secagg.out-of-order"));
    round.server.receiveDecline(p.decline());
    for (int id : List.of(2, 3, 4)) {
      round.server.receiveOneTrip(round.answer(id, new long[] {id, Long.MAX_VALUE}));
    }
    assertThat(round.server.finishOneTrip().sum())
        .containsExactly(9, Long.MAX_VALUE - 2); // 3 (2^63 − 1) mod 2^64
  }

  // ---- declines -------------------------------------------------------------------------------

  @ParameterizedTest(name = "n = 10, {0} decline")
  @ValueSource(ints = {1, 2, 3})
  void upToNMinusThresholdDeclineAndTheSumIsExactOverTheOthers(int declining) {
    SortedSet<Integer> ids = ids(10);
    SecAggConfig config = SecAggConfig.complete(ids, 5, ROUND);
    assertThat(ids.size() - config.threshold()).isEqualTo(3);
    Keyed round = new Keyed(config, 20 + declining);
    Map<Integer, long[]> inputs = randomInputs(ids, 5, new Random(declining));
    SortedSet<Integer> decliners = new TreeSet<>(List.of(2, 7, 10).subList(0, declining));
    for (int id : ids) {
      if (decliners.contains(id)) {
        round.server.receiveDecline(round.decline(id));
      } else {
        round.server.receiveOneTrip(round.answer(id, inputs.get(id)));
      }
    }
    AggregationResult result = round.server.finishOneTrip();
    SortedSet<Integer> contributors = without(ids, decliners);
    assertThat(result.sum()).isEqualTo(plainSum(inputs, contributors, 5));
    assertThat(result.contributors()).isEqualTo(contributors);
    assertThat(result.dropped()).isEqualTo(decliners);
  }

  @Test
  void declinersInAFiveRoundAtDefaultThreshold() {
    SortedSet<Integer> ids = ids(5);
    SecAggConfig config = SecAggConfig.complete(ids, 3, ROUND);
    assertThat(config.threshold()).isEqualTo(4);
    Keyed round = new Keyed(config, 25);
    Map<Integer, long[]> inputs = extremeInputs(ids);
    round.server.receiveDecline(round.decline(1)); // the smallest id: its masks carry the − sign
    for (int id : List.of(2, 3, 4, 5)) {
      round.server.receiveOneTrip(round.answer(id, java.util.Arrays.copyOf(inputs.get(id), 3)));
    }
    assertThat(round.server.finishOneTrip().sum())
        .isEqualTo(java.util.Arrays.copyOf(plainSum(inputs, Set.of(2, 3, 4, 5), 6), 3));
  }

  @Test
  void aDeclinedParticipantIsDoneWithTheRound() {
    Keyed round = new Keyed(SecAggConfig.complete(ids(3), 2, ROUND), 30);
    SecAggParticipant p = round.participants.get(2);
    DeclinedRound d = p.decline();
    assertThat(d.from()).isEqualTo(2);
    assertThatThrownBy(() -> p.maskAndReveal(round.deliveries.get(2), new long[2]))
        .satisfies(e -> assertCode(e, "secagg.out-of-order"));
    assertThatThrownBy(() -> p.maskedInput(round.deliveries.get(2), new long[2]))
        .satisfies(e -> assertCode(e, "secagg.out-of-order"));
    assertThatThrownBy(p::decline).satisfies(e -> assertCode(e, "secagg.out-of-order"));
    assertThatThrownBy(() -> p.unmask(new UnmaskRequest(2, ids(3), new TreeSet<>())))
        .satisfies(e -> assertCode(e, "secagg.out-of-order"));
  }

  @Test
  void aContributorIsDoneWithTheRoundAndCannotDeclineAfterwards() {
    Keyed round = new Keyed(SecAggConfig.complete(ids(3), 2, ROUND), 31);
    round.answer(1, new long[2]);
    SecAggParticipant p = round.participants.get(1);
    assertThatThrownBy(p::decline).satisfies(e -> assertCode(e, "secagg.out-of-order"));
    assertThatThrownBy(() -> p.unmask(new UnmaskRequest(1, ids(3), new TreeSet<>())))
        .satisfies(e -> assertCode(e, "secagg.out-of-order"));
  }

  @Test
  void aParticipantCannotDeclineBeforeSharingKeys() {
    SecAggConfig config = SecAggConfig.complete(ids(3), 2, ROUND);
    SecAggParticipant p = new SecAggParticipant(1, config, Simulation.seeded(1));
    assertThatThrownBy(p::decline).satisfies(e -> assertCode(e, "secagg.out-of-order"));
  }

  @ParameterizedTest(name = "n = {0}, threshold {1}: n − t + 1 decline")
  @CsvSource({"3,3", "5,4", "10,7", "10,10"})
  void moreDeclinersThanNMinusThresholdIsBelowThreshold(int n, int t) {
    SortedSet<Integer> ids = ids(n);
    Keyed round = new Keyed(withThreshold(ids, t, 2), 40 + n + t);
    int declining = n - t + 1;
    for (int id : ids) {
      if (id <= declining) {
        round.server.receiveDecline(round.decline(id));
      } else {
        round.server.receiveOneTrip(round.answer(id, new long[] {id, -id}));
      }
    }
    assertThatThrownBy(round.server::finishOneTrip)
        .isInstanceOfSatisfying(
            SecAggBelowThresholdException.class,
            e -> {
              assertThat(e.phase()).isEqualTo("one-trip");
              assertThat(e.threshold()).isEqualTo(t);
              assertThat(e.remaining()).isEqualTo(without(ids, ids(declining)));
            });
    // The failure ends the round.
    assertThatThrownBy(round.server::finishOneTrip)
        .satisfies(e -> assertCode(e, "secagg.out-of-order"));
  }

  // ---- a participant lost between its keys and its answer ------------------------------------

  @ParameterizedTest(name = "n = {0}: participant {1} never answers")
  @CsvSource({"3,1", "5,3", "10,10"})
  void aSilentParticipantMakesTheRoundIncompleteNamingExactlyIt(int n, int silent) {
    SortedSet<Integer> ids = ids(n);
    Keyed round = new Keyed(SecAggConfig.complete(ids, 4, ROUND), 50 + n);
    Map<Integer, long[]> inputs = randomInputs(ids, 4, new Random(n));
    Map<Integer, OneTripInput> answers = new TreeMap<>();
    for (int id : ids) {
      answers.put(id, round.answer(id, inputs.get(id)));
      if (id != silent) {
        round.server.receiveOneTrip(answers.get(id));
      }
    }
    assertThatThrownBy(round.server::finishOneTrip)
        .satisfies(e -> assertCode(e, SecAggServer.ONE_TRIP_INCOMPLETE))
        .hasMessageContaining("participants [" + silent + "]");
    // The round is over: a late answer cannot complete it.
    assertThatThrownBy(() -> round.server.receiveOneTrip(answers.get(silent)))
        .satisfies(e -> assertCode(e, "secagg.out-of-order"));

    // What the server held (every answer but the silent one's) unmasks nobody. Each answer's
    // self-mask seed is rebuilt from the shares the others revealed, yet each masked vector still
    // carries its pairwise mask with the silent participant, whose secret-key shares nobody
    // revealed: no vector minus its self-mask is its input, and neither is the silent one's vector
    // minus its own self-mask, should it arrive late.
    for (int u : ids) {
      List<ShamirShare> shares = new ArrayList<>();
      for (int v : ids) {
        if (v != silent) {
          ShamirShare s = answers.get(v).selfMaskShares().selfMaskShares().get(u);
          assertThat(s).as("share of %d held by %d", u, v).isNotNull();
          shares.add(s);
        }
        assertThat(answers.get(v).selfMaskShares().secretKeyShares()).isEmpty();
      }
      long[] y = answers.get(u).masked().masked();
      MaskPrg.addMask(y, Shamir.combine(shares, MaskPrg.SEED_BYTES), -1);
      assertThat(y).as("participant %d unmasked", u).isNotEqualTo(inputs.get(u));
    }
    // ... while the sum of all of them, had the silent answer arrived, is readable: the rebuilt
    // self-masks are right, and only the silent participant's pairwise masks were missing.
    long[] all = new long[4];
    for (int u : ids) {
      long[] y = answers.get(u).masked().masked();
      for (int i = 0; i < 4; i++) {
        all[i] += y[i];
      }
      List<ShamirShare> shares = new ArrayList<>();
      for (int v : without(ids, Set.of(silent))) {
        shares.add(answers.get(v).selfMaskShares().selfMaskShares().get(u));
      }
      MaskPrg.addMask(all, Shamir.combine(shares, MaskPrg.SEED_BYTES), -1);
    }
    assertThat(all).isEqualTo(plainSum(inputs, ids, 4));
  }

  @Test
  void twoSilentAmongDeclinersAreBothNamedAndNoDeclinerIs() {
    SortedSet<Integer> ids = ids(10);
    Keyed round = new Keyed(SecAggConfig.complete(ids, 1, ROUND), 60);
    round.server.receiveDecline(round.decline(2));
    for (int id : List.of(1, 3, 5, 6, 8, 9, 10)) {
      round.server.receiveOneTrip(round.answer(id, new long[] {id}));
    }
    assertThatThrownBy(round.server::finishOneTrip)
        .satisfies(e -> assertCode(e, SecAggServer.ONE_TRIP_INCOMPLETE))
        .hasMessageContaining("participants [4, 7]");
  }

  @Test
  void noParticipantMasksInARoundWhereANeighbourNeverSharedKeys() {
    // A server that leaves a neighbour out of a participant's delivery would have it mask with
    // fewer neighbours; it could then strip those masks with the keys of the neighbours it made
    // decline while the left-out one revealed its share of the self-mask. A one-trip round is
    // prepared only when everyone shared, so a participant refuses any other delivery.
    SortedSet<Integer> ids = ids(5);
    Set<Integer> sharing = Set.of(1, 2, 3, 5);
    Keyed round = new Keyed(SecAggConfig.complete(ids, 2, ROUND), 70, sharing);
    for (int id : sharing) {
      assertThatThrownBy(() -> round.answer(id, new long[] {1, 2}))
          .satisfies(e -> assertCode(e, "secagg.refused.delivery"))
          .hasMessageContaining("participant " + id)
          .hasMessageContaining("[1, 2, 3, 5]");
      // refused before anything was masked or revealed, and the participant is done
      assertThatThrownBy(() -> round.decline(id))
          .satisfies(e -> assertCode(e, "secagg.out-of-order"));
    }
  }

  // ---- refusals -------------------------------------------------------------------------------

  @Test
  void aSecondAnswerFromTheSameParticipantIsRefused() {
    Keyed round = new Keyed(SecAggConfig.complete(ids(3), 1, ROUND), 80);
    OneTripInput a = round.answer(1, new long[] {5});
    round.server.receiveOneTrip(a);
    assertThatThrownBy(() -> round.server.receiveOneTrip(a))
        .satisfies(e -> assertCode(e, "secagg.protocol.duplicate"));
    assertThatThrownBy(
            () ->
                round.server.receiveDecline(
                    new DeclinedRound(1, X25519.generate(Simulation.seeded(1)).privateKey())))
        .satisfies(e -> assertCode(e, "secagg.protocol.duplicate"));
    assertThatThrownBy(() -> round.server.receiveMaskedInput(a.masked()))
        .satisfies(e -> assertCode(e, "secagg.protocol.duplicate"));
  }

  @Test
  void anAnswerAfterADeclineIsRefused() {
    Keyed round = new Keyed(SecAggConfig.complete(ids(3), 1, ROUND), 81);
    DeclinedRound d = round.decline(2);
    round.server.receiveDecline(d);
    assertThatThrownBy(() -> round.server.receiveDecline(d))
        .satisfies(e -> assertCode(e, "secagg.protocol.duplicate"));
    // 2 can no longer answer itself; a forged answer in its name is refused too.
    OneTripInput forged =
        new OneTripInput(
            new MaskedInput(2, new long[] {9}),
            new UnmaskResponse(
                2,
                round.answer(1, new long[] {1}).selfMaskShares().selfMaskShares(),
                new TreeMap<>()));
    assertThatThrownBy(() -> round.server.receiveOneTrip(forged))
        .satisfies(e -> assertCode(e, "secagg.protocol.duplicate"));
  }

  @Test
  void aPlainMaskedInputAfterADeclineIsRefusedRatherThanSummedWrongly() {
    // A decliner's masking key is applied to remove the masks others added for it; a vector of its
    // own must not then be summed (it would have the masks removed twice, and the server would hold
    // both its secrets).
    SortedSet<Integer> ids = ids(3);
    Keyed round = new Keyed(SecAggConfig.complete(ids, 1, ROUND), 82);
    round.server.receiveDecline(round.decline(3));
    assertThatThrownBy(() -> round.server.receiveMaskedInput(new MaskedInput(3, new long[] {3})))
        .satisfies(e -> assertCode(e, "secagg.protocol.duplicate"));
    round.server.receiveOneTrip(round.answer(1, new long[] {10}));
    round.server.receiveOneTrip(round.answer(2, new long[] {20}));
    assertThat(round.server.finishOneTrip().sum()).containsExactly(30);
  }

  @Test
  void sharesCoveringOtherParticipantsThanTheGiversAreRefused() {
    SortedSet<Integer> ids = ids(5);
    Keyed round = new Keyed(SecAggConfig.complete(ids, 2, ROUND), 90);
    OneTripInput honest = round.answer(1, new long[] {1, 1});
    SortedMap<Integer, ShamirShare> shares = honest.selfMaskShares().selfMaskShares();
    assertThat(shares.keySet()).containsExactly(1, 2, 3, 4, 5);

    SortedMap<Integer, ShamirShare> fewer = new TreeMap<>(shares);
    fewer.remove(3);
    SortedMap<Integer, ShamirShare> extra = new TreeMap<>(shares);
    extra.put(6, shares.get(3)); // 6 is not in the round
    SortedMap<Integer, ShamirShare> swapped = new TreeMap<>(fewer);
    swapped.put(6, shares.get(3));
    for (SortedMap<Integer, ShamirShare> bad : List.of(fewer, extra, swapped)) {
      OneTripInput forged =
          new OneTripInput(honest.masked(), new UnmaskResponse(1, bad, new TreeMap<>()));
      assertThatThrownBy(() -> round.server.receiveOneTrip(forged))
          .satisfies(e -> assertCode(e, "secagg.protocol.bad-response"))
          .hasMessageContaining("participant 1");
    }
    // The refusals recorded nothing: the honest answer is still taken and the round sums.
    round.server.receiveOneTrip(honest);
    round.server.receiveOneTrip(round.answer(2, new long[] {2, 3}));
    round.server.receiveOneTrip(round.answer(3, new long[] {4, 0}));
    round.server.receiveDecline(round.decline(4));
    round.server.receiveOneTrip(round.answer(5, new long[] {-10, Long.MIN_VALUE}));
    assertThat(round.server.finishOneTrip().sum()).containsExactly(-3, Long.MIN_VALUE + 4);
  }

  @Test
  void aDeclineWithAnotherKeyIsRefused() {
    SortedSet<Integer> ids = ids(4);
    Keyed round = new Keyed(SecAggConfig.complete(ids, 1, ROUND), 100);
    DeclinedRound three = round.decline(3);
    SecretBytes random = X25519.generate(Simulation.seeded(100)).privateKey();
    for (SecretBytes key : List.of(random, three.maskingSecretKey())) {
      assertThatThrownBy(() -> round.server.receiveDecline(new DeclinedRound(2, key)))
          .satisfies(e -> assertCode(e, "secagg.unmask.reconstruction-failed"))
          .hasMessageContaining("participant 2");
    }
    // Refused, so not recorded: 2 still counts as missing once the others answered.
    round.server.receiveDecline(three);
    round.server.receiveOneTrip(round.answer(1, new long[] {1}));
    round.server.receiveOneTrip(round.answer(4, new long[] {4}));
    assertThatThrownBy(round.server::finishOneTrip)
        .satisfies(e -> assertCode(e, SecAggServer.ONE_TRIP_INCOMPLETE))
        .hasMessageContaining("participants [2]");
  }

  @Test
  void aDeclineFromAParticipantThatNeverSharedKeysIsRefused() {
    Keyed round = new Keyed(SecAggConfig.complete(ids(4), 1, ROUND), 101, Set.of(1, 2, 3));
    assertThatThrownBy(
            () ->
                round.server.receiveDecline(
                    new DeclinedRound(4, X25519.generate(Simulation.seeded(4)).privateKey())))
        .satisfies(e -> assertCode(e, "secagg.protocol.unexpected-sender"));
  }

  @Test
  void aOneTripAnswerNeverCarriesSecretKeyShares() {
    Keyed round = new Keyed(SecAggConfig.complete(ids(3), 1, ROUND), 110);
    OneTripInput honest = round.answer(1, new long[] {1});
    SortedMap<Integer, ShamirShare> shares = honest.selfMaskShares().selfMaskShares();
    UnmaskResponse withSecret =
        new UnmaskResponse(1, shares, new TreeMap<>(Map.of(2, shares.get(2))));
    assertThatThrownBy(() -> new OneTripInput(honest.masked(), withSecret))
        .satisfies(e -> assertCode(e, "secagg.refused.both-shares"));
    assertThatThrownBy(
            () -> new OneTripInput(new MaskedInput(2, new long[] {1}), honest.selfMaskShares()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nothingIsTakenBeforeShareKeysClosesOrAfterTheRoundEnds() {
    SortedSet<Integer> ids = ids(3);
    SecAggConfig config = SecAggConfig.complete(ids, 1, ROUND);
    SecAggServer server = new SecAggServer(config);
    OneTripInput any =
        new OneTripInput(
            new MaskedInput(1, new long[] {1}),
            new UnmaskResponse(1, new TreeMap<>(), new TreeMap<>()));
    DeclinedRound decline =
        new DeclinedRound(1, X25519.generate(Simulation.seeded(1)).privateKey());
    List<Runnable> early =
        List.of(
            () -> server.receiveOneTrip(any),
            () -> server.receiveDecline(decline),
            server::finishOneTrip);
    early.forEach(
        call -> assertThatThrownBy(call::run).satisfies(e -> assertCode(e, "secagg.out-of-order")));
    Map<Integer, SecAggParticipant> ps = new TreeMap<>();
    for (int id : ids) {
      ps.put(id, new SecAggParticipant(id, config, Simulation.seeded(id)));
      server.receiveAdvertisement(ps.get(id).advertiseKeys());
    }
    KeyDirectory dir = server.closeAdvertisements();
    early.forEach(
        call -> assertThatThrownBy(call::run).satisfies(e -> assertCode(e, "secagg.out-of-order")));
    ps.values().forEach(p -> server.receiveShares(p.shareKeys(dir)));
    early.forEach(
        call -> assertThatThrownBy(call::run).satisfies(e -> assertCode(e, "secagg.out-of-order")));
    Map<Integer, ShareDelivery> d = server.closeShares();
    List<OneTripInput> answers = new ArrayList<>();
    ps.forEach((id, p) -> answers.add(p.maskAndReveal(d.get(id), new long[] {id})));
    answers.forEach(server::receiveOneTrip);
    assertThat(server.finishOneTrip().sum()).containsExactly(6);
    assertThatThrownBy(server::finishOneTrip).satisfies(e -> assertCode(e, "secagg.out-of-order"));
    assertThatThrownBy(() -> server.receiveOneTrip(answers.get(0)))
        .satisfies(e -> assertCode(e, "secagg.out-of-order"));
    // A one-trip round is not then unmasked as a classic one.
    assertThatThrownBy(server::closeMaskedInputs)
        .satisfies(e -> assertCode(e, "secagg.out-of-order"));
  }

  // ---- SecAgg+ sparse graph -------------------------------------------------------------------

  /** Ten participants on a 4-regular Harary graph; threshold 3 of each 5 holders. */
  private static SecAggConfig sparse() {
    SortedSet<Integer> ids = ids(10);
    MaskingGraph graph =
        MaskingGraph.harary(ids, 4, SecretBytes.copyOf(new byte[MaskPrg.SEED_BYTES]));
    return new SecAggConfig(ids, 3, SecAggConfig.AT_INPUT, ROUND, graph);
  }

  @Test
  void sparseGraphAMissingParticipantWhoseNeighboursAllDeclinedStillSums() {
    SecAggConfig config = sparse();
    MaskingGraph graph = config.graph();
    int missing = 6;
    SortedSet<Integer> neighbours = graph.neighbours(missing);
    assertThat(neighbours).hasSize(4);
    Keyed round = new Keyed(config, 120);
    Map<Integer, long[]> inputs = extremeInputs(config.participants());
    SortedSet<Integer> contributors = new TreeSet<>();
    for (int id : config.participants()) {
      if (neighbours.contains(id)) {
        round.server.receiveDecline(round.decline(id));
      } else if (id != missing) {
        round.server.receiveOneTrip(round.answer(id, inputs.get(id)));
        contributors.add(id);
      }
    }
    assertThat(contributors).hasSize(5);
    contributors.forEach(u -> assertThat(graph.neighbours(u)).doesNotContain(missing));
    AggregationResult result = round.server.finishOneTrip();
    assertThat(result.sum()).isEqualTo(plainSum(inputs, contributors, 6));
    assertThat(result.contributors()).isEqualTo(contributors);
  }

  @Test
  void sparseGraphAMissingNeighbourOfAContributorIsIncomplete() {
    SecAggConfig config = sparse();
    int missing = 6;
    Keyed round = new Keyed(config, 121);
    for (int id : config.participants()) {
      if (id != missing) {
        round.server.receiveOneTrip(round.answer(id, new long[] {id}));
      }
    }
    assertThatThrownBy(round.server::finishOneTrip)
        .satisfies(e -> assertCode(e, SecAggServer.ONE_TRIP_INCOMPLETE))
        .hasMessageContaining("participants [" + missing + "]");
  }

  @Test
  void sparseGraphAnswersRevealSharesOfTheClosedNeighbourhoodOnly() {
    SecAggConfig config = sparse();
    Keyed round = new Keyed(config, 122);
    for (int id : config.participants()) {
      OneTripInput a = round.answer(id, new long[] {id});
      assertThat(a.selfMaskShares().selfMaskShares().keySet())
          .isEqualTo(config.graph().closedNeighbourhood(id));
      round.server.receiveOneTrip(a);
    }
    assertThat(round.server.finishOneTrip().sum()).containsExactly(55);
  }

  // ---- against the classic four-phase round ---------------------------------------------------

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {3, 5, 10})
  void oneTripAndClassicRoundsGiveThePlainSum(int n) {
    SortedSet<Integer> ids = ids(n);
    int length = 17;
    Map<Integer, long[]> inputs = randomInputs(ids, length, new Random(n));
    AggregationResult classic =
        new Simulation(SecAggConfig.complete(ids, length, ROUND), inputs, Map.of(), n).run();
    Keyed round = new Keyed(SecAggConfig.complete(ids, SecAggConfig.AT_INPUT, ROUND), n);
    for (int id : ids) {
      round.server.receiveOneTrip(round.answer(id, inputs.get(id)));
    }
    AggregationResult oneTrip = round.server.finishOneTrip();
    assertThat(oneTrip.sum()).isEqualTo(classic.sum()).isEqualTo(plainSum(inputs, ids, length));
    assertThat(oneTrip.contributors()).isEqualTo(classic.contributors());
  }

  // ---- property -------------------------------------------------------------------------------

  @Property(tries = 40)
  void exactSumOrBelowThresholdOrIncomplete(
      @ForAll @IntRange(min = 3, max = 8) int n,
      @ForAll @IntRange(min = 0, max = 5) int length,
      @ForAll long seed) {
    Random r = new Random(seed);
    SortedSet<Integer> ids = ids(n);
    SecAggConfig config = SecAggConfig.complete(ids, SecAggConfig.AT_INPUT, ROUND);
    Keyed round = new Keyed(config, seed);
    Map<Integer, long[]> inputs = randomInputs(ids, length, r);
    SortedSet<Integer> contributors = new TreeSet<>();
    SortedSet<Integer> silent = new TreeSet<>();
    for (int id : ids) {
      switch (r.nextInt(6)) {
        case 0 -> round.server.receiveDecline(round.decline(id));
        case 1 -> silent.add(id);
        default -> {
          round.server.receiveOneTrip(round.answer(id, inputs.get(id)));
          contributors.add(id);
        }
      }
    }
    if (!silent.isEmpty() && !contributors.isEmpty()) {
      Statistics.collect("incomplete");
      assertThatThrownBy(round.server::finishOneTrip)
          .satisfies(e -> assertCode(e, SecAggServer.ONE_TRIP_INCOMPLETE))
          .hasMessageContaining("participants " + silent);
    } else if (contributors.size() < config.threshold()) {
      Statistics.collect("below threshold");
      assertThatThrownBy(round.server::finishOneTrip)
          .isInstanceOf(SecAggBelowThresholdException.class);
    } else {
      Statistics.collect("exact sum");
      AggregationResult result = round.server.finishOneTrip();
      assertThat(result.sum()).isEqualTo(plainSum(inputs, contributors, length));
      assertThat(result.contributors()).isEqualTo(contributors);
    }
  }
}

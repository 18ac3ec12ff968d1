package org.salus.store.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.salus.core.disclosure.DisclosureRule;
import org.salus.core.error.SalusException;
import org.salus.core.secagg.AdvertiseKeys;
import org.salus.core.secagg.AggregationResult;
import org.salus.core.secagg.EncryptedShares;
import org.salus.core.secagg.KeyDirectory;
import org.salus.core.secagg.MaskedInput;
import org.salus.core.secagg.MaskingGraph;
import org.salus.core.secagg.SecAggConfig;
import org.salus.core.secagg.SecAggParticipant;
import org.salus.core.secagg.SecAggServer;
import org.salus.core.secagg.ShareDelivery;
import org.salus.core.secagg.UnmaskRequest;
import org.salus.core.stats.CohortSize;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.SecureOneTrip;
import org.salus.core.study.run.SecureOpening;
import org.salus.core.study.run.SecurePreparation;
import org.salus.core.study.run.SecureRound;
import org.salus.core.study.run.SecureStep;
import org.salus.core.study.run.StepRequest;

/**
 * A whole secure round whose every message goes through its JSON form both ways: the sum comes out
 * exact, with one participant dropped after sharing; extreme 64-bit values survive; malformed
 * messages are {@code study.wire.malformed}.
 */
class SecureWireTest {

  @Test
  void aRoundThroughTheWireSumsExactlyWithADropout() {
    SortedSet<Integer> ids = new TreeSet<>(List.of(1, 2, 3, 4));
    byte[] roundId = "s/0/0/x".getBytes(StandardCharsets.UTF_8);
    SecAggConfig config = new SecAggConfig(ids, 3, 3, roundId, MaskingGraph.complete(ids));
    SecAggServer server = new SecAggServer(config);
    List<SecAggParticipant> ps = new ArrayList<>();
    long[][] inputs = {{1, -2, Long.MAX_VALUE / 8}, {10, 20, -30}, {100, 0, 7}, {5, 5, 5}};
    for (int id : ids) {
      SecAggParticipant p = new SecAggParticipant(id, config);
      ps.add(p);
      SecureOpening o =
          SecureWire.decodeOpening(
              SecureWire.encode(new SecureOpening.Advertised(p.advertiseKeys())));
      server.receiveAdvertisement(((SecureOpening.Advertised) o).keys());
    }
    KeyDirectory dir =
        SecureWire.decodeDirectory(SecureWire.encode("r", server.closeAdvertisements())).body();
    for (SecAggParticipant p : ps) {
      server.receiveShares(SecureWire.decodeShares(SecureWire.encode(p.shareKeys(dir))));
    }
    Map<Integer, ShareDelivery> deliveries = server.closeShares();
    for (SecAggParticipant p : ps.subList(0, 3)) { // participant 4 dies after sharing
      ShareDelivery d =
          SecureWire.decodeDelivery(SecureWire.encode("r", deliveries.get(p.id()))).body();
      MaskedInput m = p.maskedInput(d, inputs[p.id() - 1]);
      MaskedInput back = SecureWire.decodeMasked(SecureWire.encode(m));
      assertThat(back.masked()).isEqualTo(m.masked()).isNotEqualTo(inputs[p.id() - 1]);
      server.receiveMaskedInput(back);
    }
    Map<Integer, UnmaskRequest> requests = server.closeMaskedInputs();
    for (SecAggParticipant p : ps.subList(0, 3)) {
      UnmaskRequest q =
          SecureWire.decodeUnmaskRequest(SecureWire.encode("r", requests.get(p.id()))).body();
      assertThat(q).isEqualTo(requests.get(p.id()));
      server.receiveUnmasking(SecureWire.decodeUnmaskResponse(SecureWire.encode(p.unmask(q))));
    }
    AggregationResult r = server.finish();
    assertThat(r.sum()).containsExactly(111, 18, Long.MAX_VALUE / 8 - 23);
    assertThat(r.dropped()).containsExactly(4);
  }

  @Test
  void theRoundAndADecliningReplyRoundTrip() {
    SecureRound round =
        new SecureRound(
            "study/1/2/abc",
            StepRequest.at(1, 2, new double[] {0.5, -1e-300}),
            2,
            new TreeSet<>(List.of(1, 2, 3)),
            2,
            17);
    assertThat(SecureWire.decodeRound(SecureWire.encode(round))).isEqualTo(round);
    SecureOpening declined =
        new SecureOpening.Declined(
            new NodeReply.Withheld(DisclosureRule.MIN_CELL_SIZE, "a cell has 2", "widen"));
    assertThat(SecureWire.decodeOpening(SecureWire.encode(declined))).isEqualTo(declined);
  }

  @Test
  void malformedMessagesAreNamed() {
    assertThatThrownBy(() -> SecureWire.decodeMasked("{\"from\": 1, \"masked\": \"AAAA\"}"))
        .isInstanceOfSatisfying(
            SalusException.class, e -> assertThat(e.code()).isEqualTo(StudyWire.MALFORMED));
    assertThatThrownBy(
            () -> SecureWire.decodeShares("{\"from\": 1, \"ciphertexts\": {\"x\": \"\"}}"))
        .hasMessageContaining("participant numbers");
    assertThatThrownBy(
            () ->
                SecureWire.decodeOpening(
                    "{\"advertised\": false, \"reply\": {\"kind\": \"released\"}}"))
        .isInstanceOf(SalusException.class);
  }

  /**
   * A one-trip round whose every message goes through its JSON form both ways (preparation, keys,
   * directories, shares, the step, the answers): three contribute, the fourth declines with its
   * round key, and the sum over the three is exact.
   */
  @Test
  void aOneTripRoundThroughTheWireSumsExactlyWithADecline() {
    SortedSet<Integer> ids = new TreeSet<>(List.of(1, 2, 3, 4));
    List<String> roundIds = List.of("s/prepared/a", "s/prepared/b");
    String roundId = roundIds.get(0);
    List<SecAggServer> servers = new ArrayList<>();
    for (String r : roundIds) {
      servers.add(
          new SecAggServer(
              new SecAggConfig(
                  ids,
                  3,
                  SecAggConfig.AT_INPUT,
                  r.getBytes(StandardCharsets.UTF_8),
                  MaskingGraph.complete(ids))));
    }
    // each participant keys both rounds; the wire carries the preparation and its keys list
    List<List<SecAggParticipant>> ps = new ArrayList<>();
    for (int id : ids) {
      SecurePreparation prep = new SecurePreparation(roundIds, id, ids, 3);
      SecurePreparation got = SecureWire.decodePreparation(SecureWire.encode(prep));
      assertThat(got).isEqualTo(prep);
      List<SecAggParticipant> rounds = new ArrayList<>();
      List<AdvertiseKeys> keys = new ArrayList<>();
      for (int r = 0; r < got.roundIds().size(); r++) {
        SecAggParticipant p =
            new SecAggParticipant(
                got.participant(),
                new SecAggConfig(
                    got.participants(),
                    got.threshold(),
                    SecAggConfig.AT_INPUT,
                    got.roundIds().get(r).getBytes(StandardCharsets.UTF_8),
                    MaskingGraph.complete(got.participants())));
        rounds.add(p);
        keys.add(p.advertiseKeys());
      }
      ps.add(rounds);
      List<AdvertiseKeys> back = SecureWire.decodeKeys(SecureWire.encodeKeys(keys));
      assertThat(back).usingRecursiveFieldByFieldElementComparator().isEqualTo(keys);
      for (int r = 0; r < back.size(); r++) {
        servers.get(r).receiveAdvertisement(back.get(r));
      }
    }
    List<KeyDirectory> directories =
        servers.stream().map(SecAggServer::closeAdvertisements).toList();
    List<SecureWire.Request<KeyDirectory>> sent =
        SecureWire.decodeDirectories(SecureWire.encodeDirectories(roundIds, directories));
    assertThat(sent).extracting(SecureWire.Request::roundId).isEqualTo(roundIds);
    for (int r = 0; r < sent.size(); r++) {
      assertThat(sent.get(r).body()).usingRecursiveComparison().isEqualTo(directories.get(r));
    }
    for (List<SecAggParticipant> rounds : ps) {
      List<EncryptedShares> shares = new ArrayList<>();
      for (int r = 0; r < rounds.size(); r++) {
        shares.add(rounds.get(r).shareKeys(sent.get(r).body()));
      }
      List<EncryptedShares> back = SecureWire.decodeShareList(SecureWire.encodeShares(shares));
      assertThat(back).usingRecursiveFieldByFieldElementComparator().isEqualTo(shares);
      for (int r = 0; r < back.size(); r++) {
        servers.get(r).receiveShares(back.get(r));
      }
    }
    SecAggServer server = servers.get(0);
    Map<Integer, ShareDelivery> deliveries = server.closeShares();
    long[][] inputs = {{1, -2, Long.MIN_VALUE / 8}, {10, 20, -30}, {100, 0, 7}};
    for (int id : ids) {
      SecureStep step =
          new SecureStep(
              roundId, StepRequest.at(1, 2, new double[] {0.25, -3}), 3, deliveries.get(id));
      SecureStep got = SecureWire.decodeStep(SecureWire.encode(step));
      assertThat(got).usingRecursiveComparison().isEqualTo(step);
      SecAggParticipant p = ps.get(id - 1).get(0);
      SecureOneTrip answer =
          id <= 3
              ? new SecureOneTrip.Contributed(p.maskAndReveal(got.delivery(), inputs[id - 1]))
              : new SecureOneTrip.Declined(
                  new NodeReply.Withheld(DisclosureRule.MIN_CELL_SIZE, "a cell has 2", "widen"),
                  p.decline());
      SecureOneTrip back = SecureWire.decodeOneTrip(SecureWire.encode(answer));
      switch (back) {
        case SecureOneTrip.Contributed c -> {
          assertThat(c).usingRecursiveComparison().isEqualTo(answer);
          assertThat(c.input().masked().masked()).isNotEqualTo(inputs[id - 1]);
          server.receiveOneTrip(c.input());
        }
        case SecureOneTrip.Declined d -> {
          assertThat(d).isEqualTo(answer); // SecretBytes compares its bytes
          assertThat(d.key().orElseThrow().from()).isEqualTo(4);
          server.receiveDecline(d.key().get());
        }
      }
    }
    AggregationResult r = server.finishOneTrip();
    assertThat(r.sum()).containsExactly(111, 18, Long.MIN_VALUE / 8 - 23);
    assertThat(r.contributors()).containsExactly(1, 2, 3);
    assertThat(r.dropped()).containsExactly(4);
    // a node that no longer holds the round declines without a key
    SecureOneTrip keyless =
        new SecureOneTrip.Declined(
            new NodeReply.Failed("secagg.round.unknown", "no prepared round s/prepared/a"),
            Optional.empty());
    String json = SecureWire.encode(keyless);
    assertThat(json).doesNotContain("maskingKey");
    assertThat(SecureWire.decodeOneTrip(json)).isEqualTo(keyless);
  }

  @Test
  void malformedOneTripMessagesAreNamed() {
    assertMalformed(() -> SecureWire.decodeOneTrip("{\"contributed\": \"yes\"}"), "contributed");
    assertMalformed(() -> SecureWire.decodeOneTrip("{\"reply\": {}}"), "contributed");
    String released = StudyWire.encode(new NodeReply.Released(new CohortSize(12)));
    assertMalformed(
        () -> SecureWire.decodeOneTrip("{\"contributed\": false, \"reply\": " + released + "}"),
        "releases nothing");
    String failed = StudyWire.encode(new NodeReply.Failed("x.y", "z"));
    assertMalformed(
        () ->
            SecureWire.decodeOneTrip(
                "{\"contributed\": false, \"reply\": "
                    + failed
                    + ", \"from\": 2, \"maskingKey\": \"not base64!\"}"),
        "maskingKey");
    // a key of the wrong length
    assertMalformed(
        () ->
            SecureWire.decodeOneTrip(
                "{\"contributed\": false, \"reply\": "
                    + failed
                    + ", \"from\": 2, \"maskingKey\": \"AAAA\"}"),
        "");
    assertMalformed(
        () ->
            SecureWire.decodeOneTrip(
                "{\"contributed\": true, \"masked\": {\"from\": 1, \"masked\": \"@@\"},"
                    + " \"shares\": {\"from\": 1, \"selfMaskShares\": {},"
                    + " \"secretKeyShares\": {}}}"),
        "masked");
    assertMalformed(
        () ->
            SecureWire.decodePreparation(
                "{\"participant\": 1, \"participants\": [1, 2, 3], \"threshold\": 2}"),
        "roundIds");
    assertMalformed(
        () ->
            SecureWire.decodePreparation(
                "{\"roundIds\": [\"a\", \"a\"], \"participant\": 1, \"participants\": [1, 2],"
                    + " \"threshold\": 2}"),
        "twice");
    assertMalformed(
        () ->
            SecureWire.decodePreparation(
                "{\"roundIds\": [1], \"participant\": 1, \"participants\": [1, 2],"
                    + " \"threshold\": 2}"),
        "roundIds");
    assertMalformed(() -> SecureWire.decodeKeys("{\"keys\": {}}"), "keys");
    assertMalformed(() -> SecureWire.decodeDirectories("{}"), "rounds");
    assertMalformed(() -> SecureWire.decodeShareList("{\"shares\": [1]}"), "shares");
    assertMalformed(
        () ->
            SecureWire.decodeStep(
                "{\"roundId\": \"r\", \"step\": {\"analysis\": 0, \"iteration\": 0, \"beta\": []},"
                    + " \"vectorLength\": -1,"
                    + " \"delivery\": {\"recipient\": 1, \"ciphertexts\": {}}}"),
        "vector length");
  }

  private static void assertMalformed(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String mentions) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SalusException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StudyWire.MALFORMED);
              assertThat(e.getMessage()).contains(mentions);
            });
  }
}

package org.salus.store.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.salus.core.disclosure.DisclosureRule;
import org.salus.core.error.SalusException;
import org.salus.core.secagg.AggregationResult;
import org.salus.core.secagg.KeyDirectory;
import org.salus.core.secagg.MaskedInput;
import org.salus.core.secagg.MaskingGraph;
import org.salus.core.secagg.SecAggConfig;
import org.salus.core.secagg.SecAggParticipant;
import org.salus.core.secagg.SecAggServer;
import org.salus.core.secagg.ShareDelivery;
import org.salus.core.secagg.UnmaskRequest;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.SecureOpening;
import org.salus.core.study.run.SecureRound;
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
}

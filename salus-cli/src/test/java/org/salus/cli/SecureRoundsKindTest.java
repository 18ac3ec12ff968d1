package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.error.SalusException;
import org.salus.core.secagg.ShareDelivery;
import org.salus.core.study.Study;
import org.salus.core.study.run.Joining;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.SecureOneTrip;
import org.salus.core.study.run.SecurePreparation;
import org.salus.core.study.run.SecureStep;
import org.salus.core.study.run.StepRequest;
import org.salus.core.study.run.StudyNode;
import org.salus.core.study.run.StudyResult;
import org.salus.store.study.LocalStudyNode;
import org.salus.store.study.StudyJson;

/**
 * Which secure rounds a study runs in (docs/secagg-dp.md, "One-trip rounds"): one-trip by default,
 * classic when the document says {@code "rounds": "classic"} — and then a node refuses to prepare
 * one-trip rounds, so a hub cannot choose them against the document.
 */
class SecureRoundsKindTest {

  private static final int[] SIZES = {40, 30, 35};

  @TempDir Path tmp;

  private StudyNodes fixture;

  @BeforeEach
  void nodes() throws Exception {
    fixture = new StudyNodes(tmp, SIZES, 5);
  }

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  private static final String COUNTS =
      """
      {
        "id": "kinds",
        "title": "Counts",
        "purpose": "HRESCH",
        "cohort": { "indexDate": { "fixed": "2020-01-01" }, "age": { "min": 18, "max": 90 } },
        "analyses": [
          { "type": "count" },
          { "type": "histogram", "variable": { "type": "age" }, "edges": [18, 40, 60, 91] }
        ],
        "nodes": ["node-0", "node-1", "node-2"],
        "privacy": { "secureAggregation": %s }
      }
      """;

  @Test
  void theDocumentChoosesTheRoundsAndRefusesOtherKinds() {
    assertThat(StudyJson.read(COUNTS.formatted("true")).privacy().secureOneTrip()).isTrue();
    assertThat(
            StudyJson.read(COUNTS.formatted("{\"rounds\": \"one-trip\"}"))
                .privacy()
                .secureOneTrip())
        .isTrue();
    Study classic = StudyJson.read(COUNTS.formatted("{\"threshold\": 3, \"rounds\": \"classic\"}"));
    assertThat(classic.privacy().secureOneTrip()).isFalse();
    assertThat(classic.privacy().secureThresholdFor(3)).isEqualTo(3);
    assertThatThrownBy(() -> StudyJson.read(COUNTS.formatted("{\"rounds\": \"fast\"}")))
        .isInstanceOf(SalusException.class)
        .hasMessageContaining("privacy.secureAggregation.rounds")
        .hasMessageContaining("\"one-trip\" or \"classic\"");
  }

  @Test
  void oneTripAndClassicRoundsGiveThePlainCountsAndUseTheirOwnPhases() throws Exception {
    Study plain = StudyJson.read(COUNTS.replace("\"secureAggregation\": %s", ""));
    StudyResult expected =
        StudyNodes.run(plain, List.of(fixture.local(0), fixture.local(1), fixture.local(2)));
    fixture.close();
    for (String kind : List.of("true", "{\"rounds\": \"classic\"}")) {
      Study study = StudyJson.read(COUNTS.formatted(kind));
      List<Counting> nodes = List.of(counting(0), counting(1), counting(2));
      StudyResult got = StudyNodes.run(study, nodes);
      for (int a = 0; a < 2; a++) {
        assertThat(got.analyses().get(a).outcome())
            .as(kind + " analysis " + a)
            .isEqualTo(expected.analyses().get(a).outcome());
        assertThat(got.analyses().get(a).contributors()).hasSize(3);
      }
      for (Counting n : nodes) {
        if (kind.equals("true")) {
          // one batch keyed ahead, then one exchange per step; never a classic phase
          assertThat(n.calls).containsExactly("prepare", "prepare-shares", "one-trip", "one-trip");
        } else {
          assertThat(n.calls)
              .containsExactly(
                  "open",
                  "share-keys",
                  "masked-input",
                  "unmask",
                  "open",
                  "share-keys",
                  "masked-input",
                  "unmask");
        }
      }
      fixture.close();
    }
  }

  @Test
  void aNodeRefusesToPrepareOneTripRoundsForAClassicStudy() throws Exception {
    LocalStudyNode n = fixture.local(0);
    Study classic = StudyJson.read(COUNTS.formatted("{\"rounds\": \"classic\"}"));
    assertThat(n.join(classic)).isInstanceOf(Joining.Joined.class);
    TreeSet<Integer> ids = new TreeSet<>(List.of(1, 2, 3));
    assertThatThrownBy(() -> n.securePrepare(new SecurePreparation(List.of("r1"), 1, ids, 2)))
        .isInstanceOfSatisfying(
            SalusException.class, e -> assertThat(e.code()).isEqualTo("secagg.one-trip.not-asked"));
    // and a step in a round it never prepared is declined without a key: nothing to unmask with
    SecureOneTrip answer =
        n.secureOneTrip(
            new SecureStep(
                "r1", StepRequest.once(0), 1, new ShareDelivery(1, new java.util.TreeMap<>())));
    assertThat(answer)
        .isInstanceOfSatisfying(
            SecureOneTrip.Declined.class,
            d -> {
              assertThat(d.key()).isEmpty();
              assertThat(((NodeReply.Failed) d.reply()).code()).isEqualTo("secagg.round.unknown");
            });
  }

  private Counting counting(int i) throws Exception {
    return new Counting(fixture.local(i));
  }

  /** A node that hands every call to another and records which secure phases the hub used. */
  private static final class Counting extends ForwardingStudyNode {
    final List<String> calls = new ArrayList<>();

    Counting(StudyNode node) {
      super(node);
    }

    @Override
    void called(String phase) {
      calls.add(phase);
    }
  }
}

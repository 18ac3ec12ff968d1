package org.salus.store.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.salus.core.disclosure.DisclosureRule;
import org.salus.core.stats.BinCounts;
import org.salus.core.stats.BinaryLevel;
import org.salus.core.stats.CohortSize;
import org.salus.core.stats.CoxStatistics;
import org.salus.core.stats.CrossTable;
import org.salus.core.stats.GlmStatistics;
import org.salus.core.stats.Moments;
import org.salus.core.stats.RiskTable;
import org.salus.core.stats.Statistic;
import org.salus.core.study.run.Joining;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.StepRequest;

/** The hub↔node wire format decodes to exactly what was encoded, and names what is malformed. */
class StudyWireTest {

  private static double awkward(Random r) {
    // Values whose shortest decimal form is long: a lossy codec changes their last bit.
    return Math.nextUp(r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20));
  }

  private static double[] awkward(Random r, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = awkward(r);
    }
    return out;
  }

  static List<Statistic> everyStatistic() {
    Random r = new Random(3);
    TreeMap<CrossTable.Cell, Long> cells = new TreeMap<>();
    cells.put(new CrossTable.Cell("female", "yes"), 12L);
    cells.put(new CrossTable.Cell("male", "no \"quoted\" ü"), 0L);
    return List.of(
        new CohortSize(Long.MAX_VALUE),
        new Moments(7, awkward(r), awkward(r)),
        new BinCounts(List.of(0.1, 0.2, 0.30000000000000004), List.of(3L, 0L), 1, 2),
        new CrossTable(cells),
        new RiskTable(List.of(new RiskTable.Row("a", 0, 1, 2), new RiskTable.Row("b", 17, 0, 5))),
        new GlmStatistics(
            3,
            awkward(r, 9),
            awkward(r, 3),
            Double.NaN,
            42,
            List.of(new BinaryLevel("sex_female", 20, 42))),
        new CoxStatistics(
            2,
            List.of(
                new CoxStatistics.Bin(
                    4,
                    2,
                    3,
                    awkward(r, 2),
                    Double.POSITIVE_INFINITY,
                    awkward(r, 2),
                    awkward(r, 4)))));
  }

  @Test
  void everyStatisticRoundTripsBitForBit() {
    for (Statistic s : everyStatistic()) {
      NodeReply reply = new NodeReply.Released(s);
      assertThat(StudyWire.decodeReply(StudyWire.encode(reply)))
          .as(s.getClass().getSimpleName())
          .isEqualTo(reply);
    }
  }

  @Test
  void withheldFailedJoiningAndStepsRoundTrip() {
    NodeReply w =
        new NodeReply.Withheld(DisclosureRule.GLM_SATURATION, "3 parameters for 5 persons", "x");
    NodeReply f = new NodeReply.Failed("dp.budget.exceeded", "limit 1, spent 1, asked 0.5");
    assertThat(StudyWire.decodeReply(StudyWire.encode(w))).isEqualTo(w);
    assertThat(StudyWire.decodeReply(StudyWire.encode(f))).isEqualTo(f);
    Joining j = new Joining.Joined("ab".repeat(32));
    Joining d = new Joining.Declined("study.purpose.unknown", "no such purpose");
    assertThat(StudyWire.decodeJoining(StudyWire.encode(j))).isEqualTo(j);
    assertThat(StudyWire.decodeJoining(StudyWire.encode(d))).isEqualTo(d);
    StepRequest step = StepRequest.at(2, 4, new double[] {-5.407696546966595, 1e-300, 0.1});
    assertThat(StudyWire.decodeStep(StudyWire.encode(step))).isEqualTo(step);
  }

  @Test
  void malformedMessagesNameTheField() {
    assertThatThrownBy(() -> StudyWire.decodeReply("{\"reply\": \"released\"}"))
        .hasFieldOrPropertyWithValue("code", StudyWire.MALFORMED)
        .hasMessageContaining("statistic");
    assertThatThrownBy(
            () ->
                StudyWire.decodeReply(
                    "{\"reply\": \"released\", \"statistic\": {\"type\": \"binCounts\","
                        + " \"edges\": [0, 1], \"counts\": [1, 2], \"below\": 0, \"above\": 0}}"))
        .hasFieldOrPropertyWithValue("code", StudyWire.MALFORMED)
        .hasMessageContaining("binCounts");
    assertThatThrownBy(
            () -> StudyWire.decodeStep("{\"analysis\": -1, \"iteration\": 0, \"beta\": []}"))
        .hasFieldOrPropertyWithValue("code", StudyWire.MALFORMED);
    assertThatThrownBy(
            () -> StudyWire.decodeStep("{\"analysis\": 1, \"iteration\": 0, \"beta\": [\"x\"]}"))
        .hasMessageContaining("beta[0]");
    assertThatThrownBy(() -> StudyWire.decodeReply("{\"reply\": \"withheld\", \"rule\": \"NOPE\"}"))
        .hasMessageContaining("rule");
    assertThatThrownBy(() -> StudyWire.decodeJoining("[1]"))
        .hasFieldOrPropertyWithValue("code", StudyWire.MALFORMED);
  }
}

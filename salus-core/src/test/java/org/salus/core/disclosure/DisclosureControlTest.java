package org.salus.core.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.salus.core.stats.BinCounts;
import org.salus.core.stats.BinaryLevel;
import org.salus.core.stats.CohortSize;
import org.salus.core.stats.CoxStatistics;
import org.salus.core.stats.CrossTable;
import org.salus.core.stats.GlmStatistics;
import org.salus.core.stats.Moments;
import org.salus.core.stats.RiskTable;
import org.salus.core.stats.Statistic;

/** Each rule with a passing and a failing case, and a failure withholds the whole step. */
class DisclosureControlTest {

  private final DisclosureControl control = new DisclosureControl(DisclosurePolicy.defaults());

  private static GlmStatistics glm(int p, long n, List<BinaryLevel> levels) {
    return new GlmStatistics(p, new double[p * p], new double[p], 1, n, levels);
  }

  private static CrossTable table(long... counts) {
    TreeMap<CrossTable.Cell, Long> m = new TreeMap<>();
    String[] rows = {"F", "F", "M", "M"};
    String[] cols = {"0", "1", "0", "1"};
    for (int i = 0; i < counts.length; i++) {
      m.put(new CrossTable.Cell(rows[i], cols[i]), counts[i]);
    }
    return new CrossTable(m);
  }

  private DisclosureRule withheldRule(Statistic s) {
    return switch (control.check(List.of(s))) {
      case Disclosure.Withheld w -> w.rule();
      case Disclosure.Released r -> null;
    };
  }

  @Test
  void countsBelowTheMinimumAreWithheldZeroAndMinimumPass() {
    assertThat(withheldRule(new CohortSize(4))).isEqualTo(DisclosureRule.MIN_CELL_SIZE);
    assertThat(withheldRule(new CohortSize(1))).isEqualTo(DisclosureRule.MIN_CELL_SIZE);
    assertThat(withheldRule(new CohortSize(0))).isNull();
    assertThat(withheldRule(new CohortSize(5))).isNull();
    assertThat(withheldRule(new Moments(3, 1, 1))).isEqualTo(DisclosureRule.MIN_CELL_SIZE);
    assertThat(withheldRule(new Moments(30, 1, 1))).isNull();
  }

  @Test
  void histogramBinsBelowTheMinimumAreWithheld() {
    List<Double> edges = List.of(0.0, 1.0, 2.0);
    assertThat(withheldRule(new BinCounts(edges, List.of(5L, 2L), 0, 0)))
        .isEqualTo(DisclosureRule.MIN_CELL_SIZE);
    assertThat(withheldRule(new BinCounts(edges, List.of(5L, 7L), 1, 0)))
        .isEqualTo(DisclosureRule.MIN_CELL_SIZE);
    assertThat(withheldRule(new BinCounts(edges, List.of(5L, 0L), 0, 9))).isNull();
  }

  @Test
  void tableCellsAndMarginsThatSingleOutArewithheld() {
    assertThat(withheldRule(table(10, 3, 8, 9))).isEqualTo(DisclosureRule.MIN_CELL_SIZE);
    // every cell 0 or ≥ 5 but the whole table is one row of 0s... row M total 0 is fine
    assertThat(withheldRule(table(10, 6, 0, 0))).isNull();
    assertThat(withheldRule(table(10, 6, 8, 9))).isNull();
  }

  @Test
  void aRowOrColumnBelowTheMinimumSinglesOut() {
    DisclosureControl minThree = new DisclosureControl(new DisclosurePolicy(3, 0.33));
    assertThat(rule(minThree.check(List.of(table(2, 0, 3, 0)))))
        .isEqualTo(DisclosureRule.SINGLES_OUT);
    assertThat(rule(minThree.check(List.of(table(3, 0, 3, 0))))).isNull();
    assertThat(rule(control.check(List.of(table(3, 0, 0, 0)))))
        .isEqualTo(DisclosureRule.SINGLES_OUT);
  }

  @Test
  void glmSaturation() {
    assertThat(withheldRule(glm(4, 12, List.of()))).isEqualTo(DisclosureRule.GLM_SATURATION);
    assertThat(withheldRule(glm(3, 10, List.of()))).isNull();
    assertThat(withheldRule(glm(34, 100, List.of()))).isEqualTo(DisclosureRule.GLM_SATURATION);
    assertThat(withheldRule(glm(3, 100, List.of()))).isNull();
  }

  @Test
  void everyLevelOfABinaryVariable() {
    assertThat(withheldRule(glm(3, 100, List.of(new BinaryLevel("diabetes", 4, 100)))))
        .isEqualTo(DisclosureRule.BINARY_LEVEL);
    assertThat(withheldRule(glm(3, 100, List.of(new BinaryLevel("sex_female", 97, 100)))))
        .isEqualTo(DisclosureRule.BINARY_LEVEL);
    assertThat(withheldRule(glm(3, 100, List.of(new BinaryLevel("sex_female", 95, 100))))).isNull();
  }

  @Test
  void riskTablesWithSmallCells() {
    RiskTable ok =
        new RiskTable(List.of(new RiskTable.Row("a", 0, 5, 10), new RiskTable.Row("a", 1, 0, 5)));
    RiskTable fewEvents = new RiskTable(List.of(new RiskTable.Row("a", 0, 2, 10)));
    assertThat(withheldRule(ok)).isNull();
    assertThat(withheldRule(fewEvents)).isEqualTo(DisclosureRule.MIN_CELL_SIZE);
  }

  @Test
  void coxBinsWithFewEventsAreWithheld() {
    double[] one = {0};
    CoxStatistics.Bin lonely = new CoxStatistics.Bin(3, 1, 20, one, 1, one, one);
    CoxStatistics.Bin fine = new CoxStatistics.Bin(3, 6, 20, one, 1, one, one);
    assertThat(withheldRule(new CoxStatistics(1, List.of(lonely))))
        .isEqualTo(DisclosureRule.MIN_CELL_SIZE);
    assertThat(withheldRule(new CoxStatistics(1, List.of(fine)))).isNull();
  }

  @Test
  void oneFailingRuleWithholdsEveryOutputOfTheStep() {
    List<Statistic> step = List.of(new CohortSize(500), new Moments(400, 1, 1), new CohortSize(2));
    Disclosure d = control.check(step);
    assertThat(d).isInstanceOf(Disclosure.Withheld.class);
    Disclosure.Withheld w = (Disclosure.Withheld) d;
    assertThat(w.rule()).isEqualTo(DisclosureRule.MIN_CELL_SIZE);
    assertThat(w.explanation()).contains("output 2");
    assertThat(w.remedy()).isNotBlank();
    // nothing of the step is carried in the result
    assertThat(Disclosure.Withheld.class.getRecordComponents())
        .noneMatch(
            c ->
                List.class.isAssignableFrom(c.getType())
                    || Statistic.class.isAssignableFrom(c.getType()));
    assertThat(control.check(step.subList(0, 2)))
        .isEqualTo(new Disclosure.Released(step.subList(0, 2)));
  }

  @Test
  void explanationsCarryNoValues() {
    Disclosure.Withheld w =
        (Disclosure.Withheld) control.check(List.of(new Moments(3, 1234.5, 99.25)));
    assertThat(w.explanation()).doesNotContain("1234").doesNotContain("99.25").doesNotContain("3 ");
  }

  @Test
  void studyMinimumRaisesTheNodeMinimum() {
    assertThat(DisclosurePolicy.defaults().atLeast(10).minCellSize()).isEqualTo(10);
    assertThat(DisclosurePolicy.defaults().atLeast(2).minCellSize()).isEqualTo(5);
  }

  private static DisclosureRule rule(Disclosure d) {
    return d instanceof Disclosure.Withheld w ? w.rule() : null;
  }
}

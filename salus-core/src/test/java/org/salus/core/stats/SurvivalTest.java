package org.salus.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Kaplan–Meier and log-rank: a textbook example and pooled computation in test code. */
class SurvivalTest {

  @Test
  void leukemiaKaplanMeierForSixMp() {
    SurvivalCurve c = KaplanMeier.curve(SurvivalData.leukemia().riskTable(1), "6-MP", 1, 0.95);
    int[] times = {6, 7, 10, 13, 16, 22, 23};
    long[] atRisk = {21, 17, 15, 12, 11, 7, 6};
    double[] s = {0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448};
    double[] se = {0.0764, 0.0869, 0.0963, 0.1068, 0.1141, 0.1282, 0.1346};
    assertThat(c.points()).hasSize(7);
    for (int i = 0; i < 7; i++) {
      SurvivalCurve.Point p = c.points().get(i);
      assertThat(p.time()).isEqualTo(times[i]);
      assertThat(p.atRisk()).isEqualTo(atRisk[i]);
      assertThat(p.survival()).as("S(%d)", times[i]).isCloseTo(s[i], within(0.0005));
      assertThat(p.standardError()).as("SE(%d)", times[i]).isCloseTo(se[i], within(0.00005));
      assertThat(p.lower()).isLessThan(p.survival());
      assertThat(p.upper()).isGreaterThan(p.survival()).isLessThanOrEqualTo(1);
    }
    assertThat(c.points().get(0).survival()).isCloseTo(18.0 / 21, within(1e-15));
  }

  @Test
  void leukemiaLogRank() {
    LogRank.Result r = LogRank.test(SurvivalData.leukemia().riskTable(1), "6-MP", "placebo");
    assertThat(r.observed()).isEqualTo(9);
    assertThat(r.expected()).isCloseTo(19.25, within(0.005));
    assertThat(r.chiSquare()).isCloseTo(16.79, within(0.005));
    assertThat(r.p()).isCloseTo(4.17e-5, within(0.01e-5));
  }

  @Test
  void handComputedSmallExample() {
    // group a: 1, 2+, 3 ; group b: 2, 4 (events unless +)
    List<RiskTable.Row> rows =
        List.of(
            new RiskTable.Row("a", 1, 1, 1),
            new RiskTable.Row("a", 2, 0, 1),
            new RiskTable.Row("a", 3, 1, 1),
            new RiskTable.Row("b", 2, 1, 1),
            new RiskTable.Row("b", 4, 1, 1));
    RiskTable t = new RiskTable(rows);
    SurvivalCurve a = KaplanMeier.curve(t, "a", 1, 0.95);
    // S(1) = 2/3; at t=3 one at risk, one event: S = 0
    assertThat(a.points().get(0).survival()).isCloseTo(2.0 / 3, within(1e-15));
    assertThat(a.points().get(0).standardError())
        .isCloseTo(2.0 / 3 * Math.sqrt(1.0 / (3 * 2)), within(1e-15));
    assertThat(a.points().get(1).survival()).isEqualTo(0);
    // log-rank: t=1: n=5 (3 a), d=1: E=3/5, V=(3/5)(2/5)(4/4)=6/25
    // t=2: a at risk 2, b 2, d=1 (b): E=1/2, V=1/4
    // t=3: a 1, b 1, d=1 (a): E=1/2, V=1/4 ; t=4: a 0, b 1: E=0, V=0
    LogRank.Result r = LogRank.test(t, "a", "b");
    double e = 0.6 + 0.5 + 0.5;
    double v = 6.0 / 25 + 0.25 + 0.25;
    assertThat(r.expected()).isCloseTo(e, within(1e-15));
    assertThat(r.variance()).isCloseTo(v, within(1e-15));
    assertThat(r.chiSquare()).isCloseTo((2 - e) * (2 - e) / v, within(1e-14));
  }

  @Property(tries = 30)
  void federatedEqualsPooled(
      @ForAll long seed,
      @ForAll @IntRange(min = 30, max = 300) int n,
      @ForAll @IntRange(min = 1, max = 7) int bin) {
    SurvivalData all = SurvivalData.random(seed, n, 2);
    RiskTable fed =
        all.split(3).stream().map(d -> d.riskTable(bin)).reduce(RiskTable::plus).orElseThrow();
    RiskTable pooled = all.riskTable(bin);
    for (String g : List.of("a", "b")) {
      assertThat(KaplanMeier.curve(fed, g, bin, 0.95))
          .isEqualTo(KaplanMeier.curve(pooled, g, bin, 0.95));
      assertThat(KaplanMeier.curve(fed, g, bin, 0.95).points())
          .usingRecursiveFieldByFieldElementComparator()
          .isEqualTo(bruteForceKm(all, g, bin));
    }
    assertThat(LogRank.test(fed, "a", "b").chiSquare())
        .isCloseTo(LogRank.test(pooled, "a", "b").chiSquare(), within(1e-9));
  }

  /** KM straight from the subjects: at each event time count who is at risk. */
  private static List<SurvivalCurve.Point> bruteForceKm(SurvivalData d, String g, int bin) {
    TreeSet<Integer> times = new TreeSet<>();
    d.subjects().stream()
        .filter(s -> s.group().equals(g) && s.event())
        .forEach(s -> times.add(s.time() / bin));
    List<SurvivalCurve.Point> points = new ArrayList<>();
    double surv = 1;
    double gw = 0;
    double z = Normal.quantile(0.975);
    for (int t : times) {
      long n =
          d.subjects().stream().filter(s -> s.group().equals(g) && s.time() / bin >= t).count();
      long e =
          d.subjects().stream()
              .filter(s -> s.group().equals(g) && s.event() && s.time() / bin == t)
              .count();
      surv *= 1 - (double) e / n;
      gw += n > e ? (double) e / ((double) n * (n - e)) : Double.POSITIVE_INFINITY;
      double sigma = Math.sqrt(gw);
      double se = surv * sigma;
      points.add(
          new SurvivalCurve.Point(
              t * bin,
              n,
              e,
              surv,
              Double.isNaN(se) ? 0 : se,
              surv > 0 ? surv * Math.exp(-z * sigma) : 0,
              surv > 0 ? Math.min(1, surv * Math.exp(z * sigma)) : 0));
    }
    return points;
  }
}

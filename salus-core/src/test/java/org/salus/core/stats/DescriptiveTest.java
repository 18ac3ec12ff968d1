package org.salus.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DescriptiveTest {

  @Property(tries = 50)
  void summedMomentsGiveThePooledMeanAndVariance(
      @ForAll long seed, @ForAll @IntRange(min = 3, max = 500) int n) {
    Random rnd = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 5 + 2 * rnd.nextGaussian();
    }
    Moments total = new Moments(0, 0, 0);
    for (int k = 0; k < 3; k++) {
      Moments m = new Moments(0, 0, 0);
      for (int i = k * n / 3; i < (k + 1) * n / 3; i++) {
        m = m.plus(new Moments(1, v[i], v[i] * v[i]));
      }
      total = total.plus(m);
    }
    double mean = 0;
    for (double x : v) {
      mean += x / n;
    }
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    assertThat(total.summary().n()).isEqualTo(n);
    assertThat(total.summary().mean()).isCloseTo(mean, within(1e-10));
    assertThat(total.summary().variance()).isCloseTo(ss / (n - 1), within(1e-9));
  }

  @Test
  void quantilesInterpolateInsideTheBin() {
    // 10 values in [0,1), 10 in [1,2): the median is the edge 1, the 0.25 quantile 0.5
    BinCounts h = new BinCounts(List.of(0.0, 1.0, 2.0), List.of(10L, 10L), 0, 0);
    assertThat(h.quantiles(List.of(0.25, 0.5, 0.75))).containsExactly(0.5, 1.0, 1.5);
    BinCounts withOutside = new BinCounts(List.of(0.0, 1.0), List.of(8L), 1, 1);
    assertThat(withOutside.quantiles(List.of(0.05, 0.5, 0.99))).containsExactly(0.0, 0.5, 1.0);
  }

  @Test
  void fineHistogramQuantileIsCloseToTheExactOne() {
    Random rnd = new Random(7);
    double[] edges = new double[1001];
    for (int i = 0; i <= 1000; i++) {
      edges[i] = -5 + i * 0.01;
    }
    Long[] counts = new Long[1000];
    java.util.Arrays.fill(counts, 0L);
    double[] v = new double[20000];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextGaussian();
      counts[(int) Math.floor((v[i] + 5) / 0.01)]++;
    }
    java.util.Arrays.sort(v);
    BinCounts h =
        new BinCounts(java.util.Arrays.stream(edges).boxed().toList(), List.of(counts), 0, 0);
    assertThat(h.quantiles(List.of(0.5)).get(0)).isCloseTo(v[9999], within(0.01));
    assertThat(h.quantiles(List.of(0.9)).get(0)).isCloseTo(v[17999], within(0.01));
  }

  @Test
  void crossTablesAddCellByCell() {
    TreeMap<CrossTable.Cell, Long> a = new TreeMap<>();
    a.put(new CrossTable.Cell("F", "1"), 7L);
    a.put(new CrossTable.Cell("M", "0"), 9L);
    TreeMap<CrossTable.Cell, Long> b = new TreeMap<>();
    b.put(new CrossTable.Cell("F", "1"), 5L);
    b.put(new CrossTable.Cell("F", "0"), 6L);
    CrossTable t = new CrossTable(a).plus(new CrossTable(b));
    assertThat(t.count("F", "1")).isEqualTo(12);
    assertThat(t.count("M", "1")).isZero();
    assertThat(t.rowTotals()).containsEntry("F", 18L).containsEntry("M", 9L);
    assertThat(t.columnTotals()).containsEntry("0", 15L);
    assertThat(t.total()).isEqualTo(27);
  }

  @Test
  void histogramsAddBinByBin() {
    BinCounts a = new BinCounts(List.of(0.0, 1.0, 2.0), List.of(1L, 2L), 3, 4);
    BinCounts s = a.plus(a);
    assertThat(s.counts()).containsExactly(2L, 4L);
    assertThat(s.total()).isEqualTo(20);
  }
}

package org.salus.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.salus.core.error.SalusException;

class GlmFitTest {

  static GlmResult federated(GlmFamily family, List<GlmData> nodes, int parameters) {
    List<String> names = new ArrayList<>();
    names.add("(intercept)");
    for (int j = 1; j < parameters; j++) {
      names.add("x" + j);
    }
    GlmFit fit = GlmFit.start(family, names, FitSettings.defaults());
    while (fit.step() instanceof Propose p) {
      fit.accept(
          GlmStatistics.sum(nodes.stream().map(n -> n.nodeStatistics(family, p.beta())).toList()));
    }
    return ((GlmFit.Converged) fit.step()).result();
  }

  static List<GlmData> threeNodes(GlmData all, long seed) {
    int n = all.size();
    int a = n / 5 + (int) Math.floorMod(seed, n / 5);
    int b = a + n / 4;
    return List.of(all.slice(0, a), all.slice(a, b), all.slice(b, n));
  }

  @Property(tries = 40)
  void federatedEqualsPooled(
      @ForAll GlmFamily family,
      @ForAll long seed,
      @ForAll @IntRange(min = 150, max = 600) int n,
      @ForAll @IntRange(min = 1, max = 4) int covariates) {
    GlmData all = GlmData.random(family, seed, n, covariates);
    PooledGlm pooled = PooledGlm.fit(family, all);
    GlmResult fed = federated(family, threeNodes(all, seed), covariates + 1);
    for (int j = 0; j <= covariates; j++) {
      assertThat(fed.coefficients().get(j).estimate())
          .as("beta %d", j)
          .isCloseTo(pooled.beta[j], within(1e-8));
      assertThat(fed.coefficients().get(j).standardError())
          .as("se %d", j)
          .isCloseTo(pooled.standardErrors[j], within(1e-8));
    }
    assertThat(fed.deviance()).isCloseTo(pooled.deviance, within(1e-7 * (1 + pooled.deviance)));
    assertThat(fed.n()).isEqualTo(n);
  }

  /** A fit within rounds over three nodes, losing one round after {@code lostAfter} accepts. */
  private static GlmResult withinRounds(List<GlmData> nodes, int rounds, int lostAfter, int lost) {
    GlmFit fit =
        GlmFit.startWithinRounds(
            GlmFamily.BINOMIAL, List.of("(intercept)", "x1", "x2"), FitSettings.defaults(), rounds);
    int accepted = 0;
    while (fit.step() instanceof Propose p) {
      if (accepted == lostAfter) {
        for (int i = 0; i < lost; i++) {
          fit.loseRound();
        }
      }
      fit.accept(
          GlmStatistics.sum(
              nodes.stream().map(n -> n.nodeStatistics(GlmFamily.BINOMIAL, p.beta())).toList()));
      accepted++;
    }
    return ((GlmFit.Converged) fit.step()).result();
  }

  @Test
  void aLostRoundEndsAFitWithinRoundsOneRoundEarlier() {
    List<GlmData> nodes = threeNodes(GlmData.random(GlmFamily.BINOMIAL, 11, 400, 2), 11);
    // three rounds are too few to converge: the fit stops at its last round (iteration 2)
    GlmResult full = withinRounds(nodes, 3, -1, 0);
    assertThat(full.iterations()).isEqualTo(2);
    // a release lost after the first round: it stops at iteration 1, with that round's β
    GlmResult shortened = withinRounds(nodes, 3, 1, 1);
    assertThat(shortened.iterations()).isEqualTo(1);
    assertThat(shortened.estimates()).isNotEqualTo(full.estimates());
    // never below the round being asked: many losses end the fit at the next statistics
    assertThat(withinRounds(nodes, 3, 0, 5).iterations()).isZero();
    // a fit without a round budget is not shortened
    GlmFit free =
        GlmFit.start(
            GlmFamily.BINOMIAL, List.of("(intercept)", "x1", "x2"), FitSettings.defaults());
    free.loseRound();
    GlmResult unrestricted = federated(GlmFamily.BINOMIAL, nodes, 3);
    while (free.step() instanceof Propose p) {
      free.accept(
          GlmStatistics.sum(
              nodes.stream().map(n -> n.nodeStatistics(GlmFamily.BINOMIAL, p.beta())).toList()));
    }
    assertThat(((GlmFit.Converged) free.step()).result().iterations())
        .isEqualTo(unrestricted.iterations());
  }

  @Test
  void gaussianMatchesLeastSquaresByHand() {
    // y = 1 + 2x exactly except residuals ±0.5: x = 0,1,2,3; y = 1.5, 2.5, 5.5, 6.5
    GlmData d =
        new GlmData(
            List.of(
                new double[] {1, 0}, new double[] {1, 1}, new double[] {1, 2}, new double[] {1, 3}),
            List.of(1.5, 2.5, 5.5, 6.5));
    GlmResult r = federated(GlmFamily.GAUSSIAN, List.of(d.slice(0, 2), d.slice(2, 4)), 2);
    // xbar 1.5, ybar 4, Sxy = 9, Sxx = 5: slope 1.8, intercept 1.3; residuals 0.2, -0.6, 0.6, -0.2
    assertThat(r.estimates()[1]).isCloseTo(1.8, within(1e-12));
    assertThat(r.estimates()[0]).isCloseTo(1.3, within(1e-12));
    double rss = 0.8;
    assertThat(r.dispersion()).isCloseTo(rss / 2, within(1e-12));
    assertThat(r.coefficients().get(1).standardError())
        .isCloseTo(Math.sqrt(rss / 2 / 5), within(1e-12));
    assertThat(r.coefficients().get(1).p())
        .isCloseTo(Normal.twoSidedP(1.8 / Math.sqrt(rss / 10)), within(1e-15));
  }

  @Test
  void statisticsAndProposalsCompareByContent() {
    GlmData d = GlmData.random(GlmFamily.POISSON, 3, 40, 2);
    assertThat(d.nodeStatistics(GlmFamily.POISSON, new double[3]))
        .isEqualTo(d.nodeStatistics(GlmFamily.POISSON, new double[3]))
        .hasSameHashCodeAs(d.nodeStatistics(GlmFamily.POISSON, new double[3]))
        .isNotEqualTo(d.nodeStatistics(GlmFamily.POISSON, new double[] {0.1, 0, 0}));
    assertThat(new Propose(1, new double[] {1, 2})).isEqualTo(new Propose(1, new double[] {1, 2}));
    assertThat(new Propose(1, new double[] {1, 2}).toString()).contains("[1.0, 2.0]");
  }

  @Test
  void stepsMustComeInOrder() {
    GlmData d = GlmData.random(GlmFamily.GAUSSIAN, 1, 50, 1);
    GlmFit fit = GlmFit.start(GlmFamily.GAUSSIAN, List.of("a", "b"), FitSettings.defaults());
    while (fit.step() instanceof Propose p) {
      fit.accept(d.nodeStatistics(GlmFamily.GAUSSIAN, p.beta()));
    }
    assertThatThrownBy(() -> fit.accept(d.nodeStatistics(GlmFamily.GAUSSIAN, new double[2])))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void collinearCovariatesAreReportedAsSingular() {
    GlmData d =
        new GlmData(
            List.of(new double[] {1, 2}, new double[] {1, 2}, new double[] {1, 2}),
            List.of(1.0, 2.0, 3.0));
    GlmFit fit = GlmFit.start(GlmFamily.GAUSSIAN, List.of("a", "b"), FitSettings.defaults());
    assertThatThrownBy(() -> fit.accept(d.nodeStatistics(GlmFamily.GAUSSIAN, new double[2])))
        .isInstanceOf(SalusException.class)
        .extracting(e -> ((SalusException) e).code())
        .isEqualTo(Cholesky.SINGULAR);
  }

  @Test
  void separatedDataDoesNotConverge() {
    List<double[]> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      x.add(new double[] {1, i});
      y.add(i < 10 ? 0.0 : 1.0);
    }
    GlmData d = new GlmData(x, y);
    GlmFit fit = GlmFit.start(GlmFamily.BINOMIAL, List.of("a", "b"), FitSettings.defaults());
    assertThatThrownBy(
            () -> {
              while (fit.step() instanceof Propose p) {
                fit.accept(d.nodeStatistics(GlmFamily.BINOMIAL, p.beta()));
              }
            })
        .isInstanceOf(SalusException.class);
  }
}

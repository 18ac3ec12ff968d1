package org.salus.store.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.salus.core.error.SalusException;
import org.salus.core.stats.FitSettings;
import org.salus.core.stats.GlmFit;
import org.salus.core.stats.GlmStatistics;
import org.salus.core.stats.Propose;
import org.salus.core.study.Analysis;
import org.salus.core.study.Study;

/**
 * The utility cost of a DP GLM: a logistic model of a synthetic population of 30,000 split over
 * three nodes, fitted from exact IRLS statistics and from the nodes' noisy releases (Skellam
 * shares, ten charged rounds) at several ρ. Writes the table of docs/secagg-dp.md to {@code
 * target/dp-glm-utility.md}; asserts that the error falls as ρ grows and is small at ρ = 10.
 */
class DpGlmUtilityTest {

  private static final int NODES = 3;
  private static final int PER_NODE = 10_000;
  private static final int ROUNDS = 10;
  private static final int REPEATS = 8;
  private static final double[] RHOS = {0.1, 0.3, 1, 3, 10};

  /** One person: age, female, bmi (inside the declared bounds), diabetes. */
  private record Person(double age, double female, double bmi, double y) {}

  private static Study study(double rho) {
    return StudyJson.read(
        """
        { "id": "u", "title": "utility", "purpose": "HRESCH",
          "cohort": { "indexDate": { "fixed": "2020-01-01" } },
          "analyses": [ { "type": "glm", "family": "binomial",
            "outcome": { "type": "hasCondition", "name": "diabetes",
              "codes": [{ "system": "http://snomed.info/sct", "code": "44054006" }] },
            "covariates": [ { "type": "age" }, { "type": "sexIs", "sex": "female" },
              { "type": "measurement", "name": "bmi",
                "code": { "system": "http://loinc.org", "code": "39156-5" },
                "window": { "from": -730, "to": 0 } } ] } ],
          "nodes": ["a", "b", "c"],
          "privacy": { "rho": %s, "glmRounds": %d,
            "bounds": { "age": { "lower": 18, "upper": 90 },
                        "bmi": { "lower": 15, "upper": 45 } } } }
        """
            .formatted(rho, ROUNDS));
  }

  private static List<List<Person>> population() {
    Random r = new Random(2026);
    List<List<Person>> nodes = new ArrayList<>();
    for (int k = 0; k < NODES; k++) {
      List<Person> people = new ArrayList<>();
      for (int i = 0; i < PER_NODE; i++) {
        double age = 18 + 72 * r.nextDouble();
        double female = r.nextBoolean() ? 1 : 0;
        double bmi = 15 + 30 * r.nextDouble();
        double eta = -7 + 0.05 * age - 0.3 * female + 0.12 * bmi;
        double y = r.nextDouble() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
        people.add(new Person(age, female, bmi, y));
      }
      nodes.add(people);
    }
    return nodes;
  }

  /** A node's exact IRLS statistics at β, as its SQL computes them. */
  private static GlmStatistics exact(List<Person> people, double[] beta) {
    int p = 4;
    double[] info = new double[p * p];
    double[] wr = new double[p];
    double deviance = 0;
    for (Person x : people) {
      double[] v = {1, x.age(), x.female(), x.bmi()};
      double eta = 0;
      for (int j = 0; j < p; j++) {
        eta += beta[j] * v[j];
      }
      double mu = 1 / (1 + Math.exp(-eta));
      double w = mu * (1 - mu);
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          info[i * p + j] += w * v[i] * v[j];
        }
        wr[i] += v[i] * (w * eta + x.y() - mu);
      }
      deviance += 2 * (x.y() == 1 ? Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta)));
    }
    return new GlmStatistics(p, info, wr, deviance, people.size(), List.of());
  }

  private static final List<String> NAMES = List.of("(Intercept)", "age", "sex_female", "bmi");

  /** The fit: exact when {@code rho} is empty, else from noisy releases. */
  private static double[] fit(
      List<List<Person>> nodes, double rho, boolean noisy, SplittableRandom random) {
    Study study = study(rho);
    Analysis a = study.analyses().get(0);
    GlmFit fit =
        noisy
            ? GlmFit.startWithinRounds(
                org.salus.core.stats.GlmFamily.BINOMIAL, NAMES, FitSettings.defaults(), ROUNDS)
            : GlmFit.start(org.salus.core.stats.GlmFamily.BINOMIAL, NAMES, FitSettings.defaults());
    double perRound = NodeDp.rhoOfRelease(study, a);
    while (fit.step() instanceof Propose proposal) {
      GlmStatistics total = null;
      for (List<Person> people : nodes) {
        GlmStatistics s = exact(people, proposal.beta());
        if (noisy) {
          s =
              (GlmStatistics)
                  new DpRelease(perRound, NODES, random, false)
                      .release(study, a, s, proposal.beta())
                      .statistic();
        }
        total = total == null ? s : total.plus(s);
      }
      fit.accept(total);
    }
    return ((GlmFit.Converged) fit.step()).result().estimates();
  }

  @Test
  void coefficientErrorFallsAsRhoGrows() throws Exception {
    List<List<Person>> nodes = population();
    double[] truth = fit(nodes, 1, false, new SplittableRandom(0));
    StringBuilder table = new StringBuilder();
    table.append(
        "| ρ (study) | ρ per round | intercept | age | sex_female | bmi | fits failed |\n");
    table.append("| --- | --- | --- | --- | --- | --- | --- |\n");
    double[] ageError = new double[RHOS.length];
    for (int k = 0; k < RHOS.length; k++) {
      SplittableRandom random = new SplittableRandom(100 + k);
      List<double[]> errors = new ArrayList<>();
      int failed = 0;
      for (int rep = 0; rep < REPEATS; rep++) {
        try {
          double[] b = fit(nodes, RHOS[k], true, random);
          double[] e = new double[b.length];
          for (int j = 0; j < b.length; j++) {
            e[j] = Math.abs(b[j] - truth[j]);
          }
          errors.add(e);
        } catch (SalusException e) {
          failed++;
        }
      }
      double[] median = new double[truth.length];
      for (int j = 0; j < truth.length; j++) {
        int col = j;
        double[] sorted = errors.stream().mapToDouble(e -> e[col]).sorted().toArray();
        median[j] = sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
      }
      ageError[k] = median[1];
      table.append(
          String.format(
              java.util.Locale.ROOT,
              "| %s | %.3g | %.3g | %.3g | %.3g | %.3g | %d of %d |%n",
              RHOS[k],
              RHOS[k] / ROUNDS,
              median[0],
              median[1],
              median[2],
              median[3],
              failed,
              REPEATS));
    }
    table.append(
        String.format(
            java.util.Locale.ROOT,
            "%nMedian |β̂ − β| over %d runs per ρ; β of the exact federated fit = %s (%d persons,"
                + " %d nodes, %d rounds).%n",
            REPEATS,
            Arrays.toString(Arrays.stream(truth).map(v -> Math.round(v * 1e4) / 1e4).toArray()),
            NODES * PER_NODE,
            NODES,
            ROUNDS));
    Path out = Path.of("target", "dp-glm-utility.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table.toString());
    System.out.println(table);
    // error falls with ρ, and at ρ = 10 the age effect is within a tenth of its size
    assertThat(ageError[RHOS.length - 1]).isLessThan(ageError[0]);
    assertThat(ageError[RHOS.length - 1]).isLessThan(0.1 * Math.abs(truth[1]));
  }
}

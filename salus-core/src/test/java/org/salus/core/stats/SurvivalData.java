package org.salus.core.stats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Survival rows in test code: time (bin), event, group and covariates. */
record SurvivalData(List<Subject> subjects) {

  record Subject(int time, boolean event, String group, double[] x) {}

  /** Freireich/Gehan leukaemia remission data; x = 1 for placebo. */
  static SurvivalData leukemia() {
    try (InputStream in =
        SurvivalData.class.getResourceAsStream("/vectors/survival/leukemia-remission.csv")) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      List<Subject> s = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        String[] f = lines[i].trim().split(",");
        s.add(
            new Subject(
                Integer.parseInt(f[1]),
                f[2].equals("1"),
                f[0],
                new double[] {f[0].equals("placebo") ? 1 : 0}));
      }
      return new SurvivalData(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static SurvivalData random(long seed, int n, int covariates) {
    Random rnd = new Random(seed);
    List<Subject> s = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = new double[covariates];
      double lp = 0;
      for (int j = 0; j < covariates; j++) {
        x[j] = j % 2 == 0 ? rnd.nextGaussian() : (rnd.nextBoolean() ? 1 : 0);
        lp += 0.4 * x[j] * (j % 2 == 0 ? 1 : -1);
      }
      int eventTime = 1 + (int) (-Math.log(rnd.nextDouble()) * 30 / Math.exp(lp));
      int censor = 1 + rnd.nextInt(60);
      boolean event = eventTime <= censor;
      s.add(
          new Subject(
              Math.min(eventTime, censor), event, x.length > 1 && x[1] == 1 ? "b" : "a", x));
    }
    return new SurvivalData(s);
  }

  List<SurvivalData> split(int parts) {
    List<SurvivalData> out = new ArrayList<>();
    int n = subjects.size();
    for (int k = 0; k < parts; k++) {
      out.add(new SurvivalData(subjects.subList(k * n / parts, (k + 1) * n / parts)));
    }
    return out;
  }

  /** What a node computes in SQL for Kaplan–Meier: events and exits per group and bin. */
  RiskTable riskTable(int binDays) {
    List<RiskTable.Row> rows = new ArrayList<>();
    for (Subject s : subjects) {
      rows.add(new RiskTable.Row(s.group(), s.time() / binDays, s.event() ? 1 : 0, 1));
    }
    return new RiskTable(rows);
  }

  /** What a node computes in SQL for a Cox step at β. */
  CoxStatistics coxStatistics(double[] beta) {
    int p = beta.length;
    List<CoxStatistics.Bin> bins = new ArrayList<>();
    for (Subject s : subjects) {
      double lp = 0;
      for (int j = 0; j < p; j++) {
        lp += beta[j] * s.x()[j];
      }
      double r = Math.exp(lp);
      double[] es = new double[p];
      double[] rx = new double[p];
      double[] rxx = new double[p * p];
      for (int i = 0; i < p; i++) {
        es[i] = s.event() ? s.x()[i] : 0;
        rx[i] = r * s.x()[i];
        for (int j = 0; j < p; j++) {
          rxx[i * p + j] = r * s.x()[i] * s.x()[j];
        }
      }
      bins.add(new CoxStatistics.Bin(s.time(), s.event() ? 1 : 0, 1, es, r, rx, rxx));
    }
    return new CoxStatistics(p, bins);
  }
}

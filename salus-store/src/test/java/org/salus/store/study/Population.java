package org.salus.store.study;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A synthetic node population in test code, with the per-person values of the study variables
 * computed here in Java straight from the records (the reference the SQL must reproduce).
 */
record Population(String node, List<Patient> patients) {

  static final LocalDate INDEX = LocalDate.of(2020, 1, 1);
  static final LocalDate CUTOFF = LocalDate.of(2024, 1, 1);
  static final String DIABETES = "44054006";
  static final String INFECTION = "68566005";
  static final String STROKE = "230690007";
  static final String HBA1C = "4548-4";
  static final String BMI = "39156-5";
  static final String METFORMIN = "860975";

  record Condition(String code, LocalDate date) {}

  record Measurement(String code, LocalDate date, double value) {}

  record Patient(
      String key,
      String sex,
      LocalDate birth,
      List<Condition> conditions,
      List<Measurement> measurements,
      List<Condition> drugs,
      Optional<LocalDate> death) {

    int age() {
      return (int) Math.floor(ChronoUnit.DAYS.between(birth, INDEX) / 365.25);
    }

    double female() {
      return sex.equals("FEMALE") ? 1 : 0;
    }

    boolean inWindow(LocalDate d, int from, int to) {
      return !d.isBefore(INDEX.plusDays(from)) && !d.isAfter(INDEX.plusDays(to));
    }

    double has(String code, int from, int to) {
      return conditions.stream()
              .anyMatch(c -> c.code().equals(code) && inWindow(c.date(), from, to))
          ? 1
          : 0;
    }

    double count(String code, int from, int to) {
      return conditions.stream()
          .filter(c -> c.code().equals(code) && inWindow(c.date(), from, to))
          .count();
    }

    Optional<Double> mean(String code, int from, int to) {
      var values =
          measurements.stream()
              .filter(m -> m.code().equals(code) && inWindow(m.date(), from, to))
              .mapToDouble(Measurement::value)
              .toArray();
      if (values.length == 0) {
        return Optional.empty();
      }
      double s = 0;
      for (double v : values) {
        s += v;
      }
      return Optional.of(s / values.length);
    }

    /** Days to first stroke after index, else censored at death or cut-off; and the event flag. */
    int[] survival() {
      Optional<LocalDate> event =
          conditions.stream()
              .filter(c -> c.code().equals(STROKE) && c.date().isAfter(INDEX))
              .map(Condition::date)
              .min(LocalDate::compareTo);
      LocalDate censor = death.filter(d -> d.isBefore(CUTOFF)).orElse(CUTOFF);
      boolean isEvent = event.isPresent() && !event.get().isAfter(censor);
      LocalDate exit = isEvent ? event.get() : censor;
      return new int[] {(int) ChronoUnit.DAYS.between(INDEX, exit), isEvent ? 1 : 0};
    }
  }

  static Population generate(String node, long seed, int n) {
    Random rnd = new Random(seed);
    List<Patient> ps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String sex = rnd.nextInt(40) == 0 ? "UNKNOWN" : rnd.nextBoolean() ? "FEMALE" : "MALE";
      LocalDate birth =
          LocalDate.of(1935 + rnd.nextInt(65), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
      double age = ChronoUnit.DAYS.between(birth, INDEX) / 365.25;
      List<Condition> conds = new ArrayList<>();
      List<Measurement> meas = new ArrayList<>();
      List<Condition> drugs = new ArrayList<>();
      double bmi = 22 + 6 * rnd.nextDouble() + (age - 50) * 0.03;
      if (rnd.nextInt(10) > 0) {
        int k = 1 + rnd.nextInt(2);
        for (int j = 0; j < k; j++) {
          meas.add(
              new Measurement(BMI, INDEX.minusDays(rnd.nextInt(365)), bmi + rnd.nextGaussian()));
        }
      }
      meas.add(new Measurement(BMI, INDEX.minusDays(400 + rnd.nextInt(300)), 60)); // outside window
      double eta = -7 + 0.05 * age + 0.12 * bmi + (sex.equals("FEMALE") ? -0.3 : 0);
      boolean diabetic = rnd.nextDouble() < 1 / (1 + Math.exp(-eta));
      if (diabetic) {
        conds.add(new Condition(DIABETES, INDEX.minusDays(1 + rnd.nextInt(3000))));
        if (rnd.nextBoolean()) {
          drugs.add(new Condition(METFORMIN, INDEX.minusDays(rnd.nextInt(300))));
        }
      }
      if (rnd.nextInt(10) < 7) {
        meas.add(
            new Measurement(
                HBA1C,
                INDEX.minusDays(rnd.nextInt(300)),
                5.2 + (diabetic ? 1.8 : 0) + 0.01 * age + 0.5 * rnd.nextGaussian()));
      }
      int infections = poisson(rnd, Math.exp(-1.5 + 0.015 * age + (diabetic ? 0.4 : 0)));
      for (int j = 0; j < infections; j++) {
        conds.add(new Condition(INFECTION, INDEX.minusDays(rnd.nextInt(366))));
      }
      if (rnd.nextInt(5) == 0) {
        conds.add(new Condition(INFECTION, INDEX.minusDays(400 + rnd.nextInt(200))));
      }
      double hazard = 0.0002 * Math.exp(0.03 * (age - 50) + (diabetic ? 0.6 : 0));
      long strokeDay = 1 + (long) (-Math.log(rnd.nextDouble()) / hazard);
      if (strokeDay < 3000) {
        conds.add(new Condition(STROKE, INDEX.plusDays(strokeDay)));
      }
      Optional<LocalDate> death =
          rnd.nextInt(6) == 0
              ? Optional.of(INDEX.plusDays(1 + rnd.nextInt(1800)))
              : Optional.empty();
      ps.add(new Patient(node + "-" + i, sex, birth, conds, meas, drugs, death));
    }
    return new Population(node, ps);
  }

  private static int poisson(Random rnd, double mean) {
    double l = Math.exp(-mean);
    double p = 1;
    int k = 0;
    do {
      k++;
      p *= rnd.nextDouble();
    } while (p > l);
    return k - 1;
  }

  /** Inserts the population into a node database with the test schema. */
  void load(Connection c) throws SQLException {
    int id = 0;
    try (PreparedStatement person = c.prepareStatement("INSERT INTO person VALUES (?, ?, ?, ?)");
        PreparedStatement cond =
            c.prepareStatement("INSERT INTO condition_occurrence VALUES (?, ?, ?, ?)");
        PreparedStatement meas =
            c.prepareStatement("INSERT INTO measurement VALUES (?, ?, ?, ?, ?)");
        PreparedStatement drug =
            c.prepareStatement("INSERT INTO drug_exposure VALUES (?, ?, ?, ?)");
        PreparedStatement death = c.prepareStatement("INSERT INTO death VALUES (?, ?, ?)")) {
      for (Patient p : patients) {
        person.setString(1, "r" + id++);
        person.setString(2, p.key());
        person.setString(3, p.sex().toLowerCase(java.util.Locale.ROOT));
        person.setDate(4, Date.valueOf(p.birth()));
        person.addBatch();
        for (Condition x : p.conditions()) {
          row(cond, "r" + id++, p.key(), x.code(), x.date());
        }
        for (Condition x : p.drugs()) {
          row(drug, "r" + id++, p.key(), x.code(), x.date());
        }
        for (Measurement m : p.measurements()) {
          meas.setString(1, "r" + id++);
          meas.setString(2, p.key());
          meas.setString(3, m.code());
          meas.setTimestamp(4, java.sql.Timestamp.valueOf(m.date().atTime(9, 30)));
          meas.setDouble(5, m.value());
          meas.addBatch();
        }
        if (p.death().isPresent()) {
          death.setString(1, "r" + id++);
          death.setString(2, p.key());
          death.setDate(3, Date.valueOf(p.death().get()));
          death.addBatch();
        }
      }
      person.executeBatch();
      cond.executeBatch();
      meas.executeBatch();
      drug.executeBatch();
      death.executeBatch();
    }
  }

  private static void row(PreparedStatement ps, String rk, String pk, String code, LocalDate d)
      throws SQLException {
    ps.setString(1, rk);
    ps.setString(2, pk);
    ps.setString(3, code);
    ps.setDate(4, Date.valueOf(d));
    ps.addBatch();
  }
}

package org.salus.bench.study;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A DuckDB node database filled with a synthetic population by SQL (fast: no rows through JDBC):
 * persons, six conditions, three measurements, strokes after the index date and deaths.
 */
final class SyntheticNode implements AutoCloseable {

  static final String[][] CONDITIONS = {
    {"44054006", "0.12"}, // diabetes (also made to depend on age below)
    {"38341003", "0.30"}, // hypertension
    {"709044004", "0.08"}, // chronic kidney disease
    {"13645005", "0.07"}, // COPD
    {"77176002", "0.20"}, // smoker
    {"84114007", "0.05"}, // heart failure
  };
  static final String[][] MEASUREMENTS = {
    {"39156-5", "18", "22"}, // BMI: 18 + 22·u
    {"8480-6", "100", "80"}, // systolic blood pressure
    {"2093-3", "3", "5"}, // total cholesterol, mmol/L
  };

  final Path dir;
  final Connection connection;

  SyntheticNode(int persons, double seed) throws Exception {
    dir = Files.createTempDirectory("salus-bench-node");
    connection = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("node.duckdb"));
    try (Statement s = connection.createStatement()) {
      s.execute("SELECT setseed(" + seed + ")");
      s.execute(
          "CREATE TABLE person (record_key VARCHAR, person_key VARCHAR, sex VARCHAR, birth_date DATE)");
      s.execute(
          "CREATE TABLE condition_occurrence (record_key VARCHAR, person_key VARCHAR, condition_source_code VARCHAR, condition_start_date DATE)");
      s.execute(
          "CREATE TABLE measurement (record_key VARCHAR, person_key VARCHAR, measurement_source_code VARCHAR, measurement_datetime TIMESTAMP, value_as_number DOUBLE)");
      s.execute(
          "CREATE TABLE drug_exposure (record_key VARCHAR, person_key VARCHAR, drug_source_code VARCHAR, drug_exposure_start_date DATE)");
      s.execute("CREATE TABLE death (record_key VARCHAR, person_key VARCHAR, death_date DATE)");
      s.execute(
          "INSERT INTO person SELECT 'r' || i, 'p' || i, CASE WHEN random() < 0.5 THEN 'female' ELSE 'male' END,"
              + " DATE '1930-01-01' + CAST(floor(random() * 25000) AS INTEGER) FROM range("
              + persons
              + ") t(i)");
      for (String[] c : CONDITIONS) {
        s.execute(
            "INSERT INTO condition_occurrence SELECT 'c' || person_key || '"
                + c[0]
                + "', person_key, '"
                + c[0]
                + "',"
                + " DATE '2020-01-01' - CAST(floor(random() * 3000) AS INTEGER) FROM person"
                + " WHERE random() < "
                + c[1]
                + " * (0.5 + (DATE '2020-01-01' - birth_date) / 25000.0)");
      }
      for (String[] m : MEASUREMENTS) {
        s.execute(
            "INSERT INTO measurement SELECT 'm' || person_key || '"
                + m[0]
                + "', person_key, '"
                + m[0]
                + "',"
                + " CAST(DATE '2020-01-01' - CAST(floor(random() * 360) AS INTEGER) AS TIMESTAMP), "
                + m[1]
                + " + "
                + m[2]
                + " * random()"
                + " FROM person WHERE random() < 0.95");
      }
      s.execute(
          "INSERT INTO condition_occurrence SELECT 's' || person_key, person_key, '230690007',"
              + " DATE '2020-01-01' + 1 + CAST(floor(random() * 1400) AS INTEGER) FROM person WHERE random() < 0.15");
      s.execute(
          "INSERT INTO death SELECT 'd' || person_key, person_key,"
              + " DATE '2020-01-01' + 1 + CAST(floor(random() * 1400) AS INTEGER) FROM person WHERE random() < 0.08");
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // temporary files; nothing to do
    }
  }
}

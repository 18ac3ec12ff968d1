package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import picocli.CommandLine;

/**
 * {@code salus study run} over four nodes built by hand (DuckDB or PostgreSQL, by subclass): the
 * pooled answers equal the same computation over the union of the contributing nodes' rows (done
 * here, independently); a node whose consent defaults do not permit the purpose contributes nobody;
 * a node too small is named with the disclosure rule it tripped, and the result says which nodes
 * contributed.
 */
abstract class StudyRunCommandTest {

  /** Extra {@code salus node init} arguments choosing the store. */
  abstract List<String> storeArgs();

  /** Drops what the node keeps outside its directory. */
  abstract void dropStore(Node node);

  private final List<Path> created = new ArrayList<>();

  @AfterEach
  void dropNodes() {
    for (Path dir : created) {
      try (Node node = NodeDirectory.open(dir)) {
        dropStore(node);
      }
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate INDEX = LocalDate.of(2020, 1, 1);

  @TempDir Path tmp;

  /** One hand-built person: what the study reads about them. */
  record Person(String key, String sex, LocalDate birth, boolean diabetes, double bmi) {
    int age() {
      return (int) Math.floor(ChronoUnit.DAYS.between(birth, INDEX) / 365.25);
    }
  }

  private final List<Person> large1 = new ArrayList<>();
  private final List<Person> large2 = new ArrayList<>();
  private Path a;
  private Path b;
  private Path noConsent;
  private Path small;
  private Path studyFile;

  @BeforeEach
  void nodes() throws Exception {
    Random random = new Random(11);
    // over a thousand: the consented keys go into the node's table in more than one statement
    a = node("hospital-a", people("a", 1030, random, large1), true);
    b = node("hospital-b", people("b", 50, random, large2), true);
    noConsent = node("hospital-c", people("c", 40, random, new ArrayList<>()), false);
    small = node("hospital-d", people("d", 3, random, new ArrayList<>()), true);
    studyFile = tmp.resolve("study.json");
    Files.writeString(studyFile, STUDY);
  }

  static List<Person> people(String prefix, int n, Random random, List<Person> into) {
    for (int i = 0; i < n; i++) {
      LocalDate birth =
          LocalDate.of(1935 + random.nextInt(65), 1 + random.nextInt(12), 1 + random.nextInt(28));
      double bmi = 18 + 20 * random.nextDouble();
      int age = (int) Math.floor(ChronoUnit.DAYS.between(birth, INDEX) / 365.25);
      double eta = -6 + 0.05 * age + 0.08 * bmi;
      boolean diabetes = random.nextDouble() < 1 / (1 + Math.exp(-eta));
      into.add(
          new Person(
              prefix + "-" + i, random.nextBoolean() ? "female" : "male", birth, diabetes, bmi));
    }
    return into;
  }

  private Path node(String name, List<Person> people, boolean researchOptOut) throws SQLException {
    Path dir = tmp.resolve(name);
    List<String> args = new ArrayList<>(List.of("node", "init", "--dir", dir.toString()));
    args.addAll(List.of("--name", name));
    args.addAll(storeArgs());
    Run init = salus(args.toArray(String[]::new));
    assertThat(init.exit()).as(init.err()).isZero();
    created.add(dir);
    if (researchOptOut) {
      Run set = salus("consent", "defaults", "--dir", dir.toString(), "--set", "HRESCH=opt-out");
      assertThat(set.exit()).as(set.err()).isZero();
    }
    try (Node node = NodeDirectory.open(dir);
        Connection c = node.store().database().connect()) {
      insert(c, people);
    }
    return dir;
  }

  static void insert(Connection c, List<Person> people) throws SQLException {
    try (PreparedStatement p =
            c.prepareStatement("INSERT INTO person VALUES (?, ?, ?, ?, 'day', ?)");
        PreparedStatement d =
            c.prepareStatement(
                "INSERT INTO condition_occurrence (record_key, person_key,"
                    + " condition_source_vocabulary, condition_source_code, condition_start_date)"
                    + " VALUES (?, ?, 'http://snomed.info/sct', '44054006', DATE '2015-06-01')");
        PreparedStatement m =
            c.prepareStatement(
                "INSERT INTO measurement (record_key, person_key, measurement_source_vocabulary,"
                    + " measurement_source_code, measurement_datetime, value_as_number)"
                    + " VALUES (?, ?, 'http://loinc.org', '39156-5', TIMESTAMP '2019-05-01 10:00:00', ?)")) {
      for (Person x : people) {
        p.setString(1, "rec-" + x.key());
        p.setString(2, x.key());
        p.setString(3, x.sex());
        p.setObject(4, x.birth());
        p.setInt(5, x.birth().getYear());
        p.executeUpdate();
        if (x.diabetes()) {
          d.setString(1, "cond-" + x.key());
          d.setString(2, x.key());
          d.executeUpdate();
        }
        m.setString(1, "bmi-" + x.key());
        m.setString(2, x.key());
        m.setDouble(3, x.bmi());
        m.executeUpdate();
      }
    }
  }

  static final String STUDY =
      """
      {
        "id": "test-diabetes",
        "title": "Diabetes, age, sex and BMI",
        "purpose": "HRESCH",
        "cohort": { "indexDate": { "fixed": "2020-01-01" }, "age": { "min": 18, "max": 90 } },
        "analyses": [
          { "type": "count" },
          { "type": "summary", "variable": {
              "type": "measurement", "name": "bmi",
              "code": { "system": "http://loinc.org", "code": "39156-5" },
              "window": { "from": -730, "to": 0 } } },
          { "type": "glm", "family": "binomial",
            "outcome": { "type": "hasCondition", "name": "diabetes",
              "codes": [{ "system": "http://snomed.info/sct", "code": "44054006" }] },
            "covariates": [
              { "type": "age" },
              { "type": "sexIs", "sex": "female" },
              { "type": "measurement", "name": "bmi",
                "code": { "system": "http://loinc.org", "code": "39156-5" },
                "window": { "from": -730, "to": 0 } } ] }
        ],
        "nodes": ["hospital-a", "hospital-b", "hospital-c", "hospital-d"]
      }
      """;

  private JsonNode runStudy() throws Exception {
    Run run =
        salus(
            "study",
            "run",
            studyFile.toString(),
            "--json",
            "--node",
            a.toString(),
            "--node",
            b.toString(),
            "--node",
            noConsent.toString(),
            "--node",
            small.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  @Test
  void pooledAnswersEqualTheUnionOfTheContributingNodesRows() throws Exception {
    JsonNode result = runStudy();
    List<Person> pooled = new ArrayList<>(large1);
    pooled.addAll(large2);
    pooled.removeIf(p -> p.age() < 18 || p.age() > 90);

    JsonNode count = result.get("analyses").get(0);
    assertThat(count.get("outcome").get("n").asLong()).isEqualTo(pooled.size());

    JsonNode summary = result.get("analyses").get(1).get("outcome");
    double mean = pooled.stream().mapToDouble(Person::bmi).average().orElseThrow();
    double var =
        pooled.stream().mapToDouble(p -> (p.bmi() - mean) * (p.bmi() - mean)).sum()
            / (pooled.size() - 1);
    assertThat(summary.get("mean").asDouble()).isCloseTo(mean, within(1e-9));
    assertThat(summary.get("variance").asDouble()).isCloseTo(var, within(1e-8));

    JsonNode glm = result.get("analyses").get(2);
    assertThat(names(glm.get("contributors"))).containsExactly("hospital-a", "hospital-b");
    double[][] fit = pooledLogistic(pooled);
    JsonNode coefficients = glm.get("outcome").get("result").get("coefficients");
    for (int j = 0; j < 4; j++) {
      assertThat(coefficients.get(j).get("estimate").asDouble()).isCloseTo(fit[0][j], within(1e-8));
      assertThat(coefficients.get(j).get("standardError").asDouble())
          .isCloseTo(fit[1][j], within(1e-8));
    }
    assertThat(coefficients.get(0).get("name").asText()).isEqualTo("(Intercept)");
    assertThat(glm.get("outcome").get("result").get("n").asLong()).isEqualTo(pooled.size());
  }

  @Test
  void aNodeWhoseConsentDefaultsDoNotPermitThePurposeContributesNobody() throws Exception {
    JsonNode result = runStudy();
    JsonNode count = result.get("analyses").get(0);
    // hospital-c holds 40 persons but research there is opt-in and nobody opted in: n = 0,
    // releasable (an empty count reveals nobody), so it contributes — nobody.
    assertThat(names(count.get("contributors"))).contains("hospital-c");
    long withC = count.get("outcome").get("n").asLong();
    String snapshotBefore = snapshot(result, "hospital-c");

    Run set =
        salus("consent", "defaults", "--dir", noConsent.toString(), "--set", "HRESCH=opt-out");
    assertThat(set.exit()).as(set.err()).isZero();
    JsonNode after = runStudy();
    assertThat(after.get("analyses").get(0).get("outcome").get("n").asLong())
        .isGreaterThan(withC + 30);
    assertThat(snapshot(after, "hospital-c")).isNotEqualTo(snapshotBefore).hasSize(64);
  }

  @Test
  void aNodeThatWithholdsIsNamedWithItsRule() throws Exception {
    JsonNode result = runStudy();
    JsonNode count = result.get("analyses").get(0);
    assertThat(names(count.get("contributors")))
        .containsExactly("hospital-a", "hospital-b", "hospital-c");
    JsonNode issue = count.get("issues").get(0);
    assertThat(issue.get("node").asText()).isEqualTo("hospital-d");
    assertThat(issue.get("kind").asText()).isEqualTo("withheld");
    assertThat(issue.get("code").asText()).isEqualTo("disclosure.min-cell-size");
    assertThat(issue.get("remedy").asText()).isNotBlank();

    JsonNode glm = result.get("analyses").get(2);
    List<String> left = new ArrayList<>();
    glm.get("issues").forEach(i -> left.add(i.get("node").asText()));
    assertThat(left).containsExactlyInAnyOrder("hospital-c", "hospital-d");
    glm.get("issues").forEach(i -> assertThat(i.get("code").asText()).startsWith("disclosure."));

    Run text =
        salus(
            "study",
            "run",
            studyFile.toString(),
            "--node",
            a.toString(),
            "--node",
            small.toString());
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("hospital-d withheld (disclosure.min-cell-size)")
        .contains("what to do:")
        .contains("(Intercept)");
  }

  @Test
  void aMissingNodeIsAnErrorWithACode() {
    Run run =
        salus("study", "run", studyFile.toString(), "--node", tmp.resolve("nowhere").toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("node.");
  }

  private static String snapshot(JsonNode result, String node) {
    for (JsonNode n : result.get("nodes")) {
      if (n.get("node").asText().equals(node)) {
        return n.get("consentSnapshot").asText();
      }
    }
    throw new AssertionError("no node " + node);
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(n.asText()));
    return names;
  }

  /**
   * Logistic regression by Newton–Raphson on the pooled rows (x = 1, age, female, bmi), with the
   * Hessian inverted by Gauss–Jordan: estimates and standard errors.
   */
  private static double[][] pooledLogistic(List<Person> people) {
    int p = 4;
    double[] beta = new double[p];
    double[][] inverse = null;
    for (int iter = 0; iter < 50; iter++) {
      double[][] h = new double[p][p];
      double[] g = new double[p];
      for (Person x : people) {
        double[] v = {1, x.age(), x.sex().equals("female") ? 1 : 0, x.bmi()};
        double eta = 0;
        for (int j = 0; j < p; j++) {
          eta += v[j] * beta[j];
        }
        double mu = 1 / (1 + Math.exp(-eta));
        double y = x.diabetes() ? 1 : 0;
        for (int i = 0; i < p; i++) {
          g[i] += (y - mu) * v[i];
          for (int j = 0; j < p; j++) {
            h[i][j] += mu * (1 - mu) * v[i] * v[j];
          }
        }
      }
      inverse = invert(h);
      double change = 0;
      for (int i = 0; i < p; i++) {
        double step = 0;
        for (int j = 0; j < p; j++) {
          step += inverse[i][j] * g[j];
        }
        beta[i] += step;
        change = Math.max(change, Math.abs(step));
      }
      if (change < 1e-13) {
        break;
      }
    }
    double[] se = new double[p];
    for (int j = 0; j < p; j++) {
      se[j] = Math.sqrt(inverse[j][j]);
    }
    return new double[][] {beta, se};
  }

  private static double[][] invert(double[][] m) {
    int n = m.length;
    double[][] a = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m[i], 0, a[i], 0, n);
      a[i][n + i] = 1;
    }
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
          pivot = r;
        }
      }
      double[] t = a[c];
      a[c] = a[pivot];
      a[pivot] = t;
      double d = a[c][c];
      for (int k = 0; k < 2 * n; k++) {
        a[c][k] /= d;
      }
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = a[r][c];
          for (int k = 0; k < 2 * n; k++) {
            a[r][k] -= f * a[c][k];
          }
        }
      }
    }
    double[][] inv = new double[n][n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], n, inv[i], 0, n);
    }
    return inv;
  }

  record Run(int exit, String out, String err) {}

  static Run salus(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}

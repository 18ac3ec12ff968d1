package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.record.BirthPrecision;
import org.salus.core.record.ClinicalRecord;
import org.salus.core.record.IngestBatch;
import org.salus.core.record.Person;
import org.salus.core.record.Sex;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import picocli.CommandLine;

class NodeCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

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

  @Test
  void initThenStatsAsJson() throws Exception {
    Path dir = tmp.resolve("node-a");

    Run init =
        salus(
            "node",
            "init",
            "--dir",
            dir.toString(),
            "--name",
            "Node A",
            "--birth-precision",
            "year",
            "--json");

    assertThat(init.exit()).as(init.err()).isZero();
    JsonNode created = JSON.readTree(init.out());
    assertThat(created.get("name").asText()).isEqualTo("Node A");
    assertThat(created.get("birthPrecision").asText()).isEqualTo("year");
    assertThat(created.get("database").get("kind").asText()).isEqualTo("duckdb");
    assertThat(created.get("nodeId").asText()).hasSize(36);
    assertThat(created.get("publicKeys").get("signingEd25519").asText()).isNotBlank();

    try (Node node = NodeDirectory.open(dir)) {
      List<ClinicalRecord> people = new ArrayList<>();
      people.add(new Person("r1", "p1", Sex.FEMALE, LocalDate.of(1951, 1, 1), BirthPrecision.YEAR));
      people.add(new Person("r2", "p2", Sex.FEMALE, LocalDate.of(1958, 1, 1), BirthPrecision.YEAR));
      people.add(new Person("r3", "p3", Sex.MALE, LocalDate.of(1990, 1, 1), BirthPrecision.YEAR));
      node.store().write("f", "a".repeat(64), new IngestBatch(people, List.of(), new TreeMap<>()));
    }

    Run stats = salus("node", "stats", "--dir", dir.toString(), "--json");

    assertThat(stats.exit()).as(stats.err()).isZero();
    JsonNode json = JSON.readTree(stats.out());
    List<String> tables = new ArrayList<>();
    json.get("tables").fieldNames().forEachRemaining(tables::add);
    assertThat(tables)
        .containsExactly(
            "person",
            "observation_period",
            "visit_occurrence",
            "condition_occurrence",
            "drug_exposure",
            "procedure_occurrence",
            "measurement",
            "observation",
            "death");
    assertThat(json.get("tables").get("person").asLong()).isEqualTo(3);
    assertThat(json.get("tables").get("measurement").asLong()).isZero();
    assertThat(json.get("bySexAndDecade").toString())
        .isEqualTo(
            "[{\"sex\":\"male\",\"decade\":1990,\"count\":1},"
                + "{\"sex\":\"female\",\"decade\":1950,\"count\":2}]");
  }

  @Test
  void statsAsTextIsATable() {
    Path dir = tmp.resolve("n");
    assertThat(salus("node", "init", "--dir", dir.toString()).exit()).isZero();

    Run stats = salus("node", "stats", "--dir", dir.toString());

    assertThat(stats.exit()).isZero();
    assertThat(stats.out()).contains("condition_occurrence").contains("(no persons)");
  }

  @Test
  void initTwiceFailsWithAClearMessage() {
    Path dir = tmp.resolve("n");
    assertThat(salus("node", "init", "--dir", dir.toString(), "--json").exit()).isZero();

    Run again = salus("node", "init", "--dir", dir.toString(), "--json");

    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.out()).isEmpty();
    assertThat(again.err()).contains("node.exists").contains(dir.toString());
  }

  @Test
  void statsOfANonNodeFails() throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("empty"));

    Run stats = salus("node", "stats", "--dir", empty.toString(), "--json");

    assertThat(stats.exit()).isEqualTo(1);
    assertThat(stats.err()).contains("node.not-a-node").contains(empty.toString());
  }

  @Test
  void nodeIsListedInHelp() {
    assertThat(salus("--help").out()).contains("node");
    assertThat(salus("node", "--help").out()).contains("init").contains("stats");
  }
}

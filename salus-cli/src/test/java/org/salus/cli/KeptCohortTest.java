package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.disclosure.Disclosure;
import org.salus.core.disclosure.DisclosurePolicy;
import org.salus.core.stats.CohortSize;
import org.salus.core.stats.Statistic;
import org.salus.core.study.Study;
import org.salus.core.study.run.Joining;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.StepRequest;
import org.salus.store.study.LocalStudyNode;
import org.salus.store.study.NodeAggregates;
import org.salus.store.study.NodeStudyRunner;
import org.salus.store.study.StudyJson;

/**
 * A node keeps each one-round analysis's subjects from its join ({@code NodeAggregates.keep}): its
 * steps answer what the cohort's own SQL answers, over the cohort as of the join (rows added later
 * are not in it, a new join sees them), and leaving drops the kept tables.
 */
class KeptCohortTest {

  @TempDir Path tmp;

  private static final String STUDY =
      """
      {"id": "kept", "title": "Kept cohort", "purpose": "HRESCH",
       "cohort": {"indexDate": {"fixed": "2020-01-01"}, "age": {"min": 18, "max": 90}},
       "analyses": [
         {"type": "count"},
         {"type": "summary", "variable": {"type": "measurement", "name": "bmi",
           "code": {"system": "http://loinc.org", "code": "39156-5"},
           "window": {"from": -730, "to": 0}}},
         {"type": "histogram", "variable": {"type": "age"}, "edges": [18, 50, 91]},
         {"type": "contingency", "rows": {"type": "sex"},
           "columns": {"type": "hasCondition", "name": "diabetes",
             "codes": [{"system": "http://snomed.info/sct", "code": "44054006"}]}},
         {"type": "quantiles", "variable": {"type": "age"}, "min": 18, "max": 91, "bins": 8},
         {"type": "kaplanMeier", "endpoint": {"conditions":
           [{"system": "http://snomed.info/sct", "code": "44054006"}], "cutoff": "2024-01-01"},
           "group": {"type": "sexIs", "sex": "female"}, "binDays": 365}
       ],
       "nodes": ["hospital-k"]}
      """;

  @Test
  void stepsOverTheKeptCohortAnswerAsTheCohortSqlAndStayAsOfTheJoin() throws Exception {
    Path dir = tmp.resolve("hospital-k");
    assertThat(
            StudyRunCommandTest.salus(
                    "node", "init", "--dir", dir.toString(), "--name", "hospital-k")
                .exit())
        .isZero();
    assertThat(
            StudyRunCommandTest.salus(
                    "consent", "defaults", "--dir", dir.toString(), "--set", "HRESCH=opt-out")
                .exit())
        .isZero();
    Random random = new Random(3);
    Study study = StudyJson.read(STUDY);
    try (NodeConsents node = NodeConsents.open(dir);
        Connection c = node.node().store().database().connect();
        Connection other = node.node().store().database().connect()) {
      StudyRunCommandTest.insert(
          c, StudyRunCommandTest.people("k", 300, random, new ArrayList<>()));
      List<Object> direct = direct(other, study);
      assertThat(direct.get(0)).isEqualTo(new CohortSize(countIn(other)));

      LocalStudyNode kept = open(node, c);
      assertThat(kept.join(study)).isInstanceOf(Joining.Joined.class);
      // one table per set of columns: the histogram and the quantiles of age share theirs
      assertThat(keptTables(c)).isEqualTo(study.analyses().size() - 1);
      for (int round = 0; round < 2; round++) {
        assertThat(released(kept, study)).as("round %d", round).isEqualTo(direct);
      }

      // persons recorded after the join are not in the study's cohort until it is joined again
      StudyRunCommandTest.insert(
          other, StudyRunCommandTest.people("late", 30, random, new ArrayList<>()));
      assertThat(released(kept, study)).isEqualTo(direct);
      List<Object> later = direct(other, study);
      assertThat(later.get(0)).isNotEqualTo(direct.get(0));
      try (Connection again = node.node().store().database().connect()) {
        LocalStudyNode rejoined = open(node, again);
        rejoined.join(study);
        assertThat(released(rejoined, study)).isEqualTo(later);
        rejoined.close();
      }

      kept.close();
      assertThat(keptTables(c)).isZero();
    }
  }

  private static LocalStudyNode open(NodeConsents node, Connection c) {
    return new LocalStudyNode(
        "hospital-k", c, node.consents(), DisclosurePolicy.defaults(), Instant.now());
  }

  /**
   * Each analysis through the node, as a hub asks for it: the statistic released, or the rule and
   * explanation of a step withheld.
   */
  private static List<Object> released(LocalStudyNode n, Study study) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < study.analyses().size(); i++) {
      NodeReply reply = n.step(StepRequest.once(i));
      out.add(
          switch (reply) {
            case NodeReply.Released r -> r.statistic();
            case NodeReply.Withheld w -> w.rule() + ": " + w.explanation();
            default -> throw new AssertionError("analysis " + i + ": " + reply);
          });
    }
    return out;
  }

  /** Each analysis by the cohort's SQL over the whole node (everyone consents by default). */
  private static List<Object> direct(Connection c, Study study) {
    NodeStudyRunner runner =
        new NodeStudyRunner(new NodeAggregates(c, study.cohort()), DisclosurePolicy.defaults());
    try {
      List<Object> out = new ArrayList<>();
      for (var a : study.analyses()) {
        out.add(
            switch (runner.oneRound(List.of(a))) {
              case Disclosure.Released r -> r.values().get(0);
              case Disclosure.Withheld w -> w.rule() + ": " + w.explanation();
            });
      }
      // most analyses release, so the comparison is of statistics, not only of refusals
      assertThat(out.subList(0, 4)).allMatch(o -> o instanceof Statistic);
      return out;
    } finally {
      runner.close();
    }
  }

  private static long countIn(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM person WHERE FLOOR(CAST(DATE '2020-01-01' - birth_date AS"
                    + " DOUBLE) / 365.25) BETWEEN 18 AND 90")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static int keptTables(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM duckdb_tables() WHERE table_name LIKE 'salus_kept_%'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}

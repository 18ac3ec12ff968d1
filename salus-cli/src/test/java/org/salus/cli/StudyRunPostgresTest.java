package org.salus.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.salus.store.Database;
import org.salus.store.node.Node;

/**
 * {@code salus study run} over nodes in PostgreSQL (127.0.0.1:5432, database test), a schema each:
 * the consented population's temporary table and every aggregate run in PostgreSQL.
 */
class StudyRunPostgresTest extends StudyRunCommandTest {

  @BeforeAll
  static void requireServer() {
    assumeTrue(
        IngestPostgresTest.reachable(),
        "PostgreSQL tests skipped: no server at " + IngestPostgresTest.URL.replaceAll("\\?.*", ""));
  }

  @Override
  List<String> storeArgs() {
    return List.of("--db", IngestPostgresTest.URL);
  }

  @Override
  void dropStore(Node node) {
    if (node.store().database() instanceof Database.Postgres pg) {
      pg.dropSchema();
    }
  }
}

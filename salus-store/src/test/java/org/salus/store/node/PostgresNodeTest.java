package org.salus.store.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.store.Database;
import org.salus.store.TestPostgres;

/** A node whose tables live in PostgreSQL; skipped, saying so, when no server answers. */
class PostgresNodeTest {

  private static final String URL = TestPostgres.URL;

  @TempDir Path tmp;

  @BeforeAll
  static void requireServer() {
    TestPostgres.require();
  }

  @Test
  void aNodeGetsItsOwnSchemaNamedAfterItsId() {
    Database.Postgres pg = null;
    try (Node node =
        NodeDirectory.init(tmp.resolve("n"), NodeOptions.defaults().withJdbcUrl(URL))) {
      var settings = (NodeConfig.DatabaseSettings.Postgres) node.config().database();
      pg = new Database.Postgres(URL, settings.schema());
      assertThat(settings.schema()).isEqualTo("salus_" + node.config().shortId());
      assertThat(settings.url()).isEqualTo(URL);
      assertThat(node.store().stats().tables()).hasSize(9);
    } finally {
      if (pg != null) {
        pg.dropSchema();
      }
    }
  }

  @Test
  void aSchemaThatHoldsTablesIsRefused() {
    String schema = "salus_test_taken_" + Long.toHexString(System.nanoTime());
    String url = URL + "&currentSchema=" + schema;
    Database.Postgres pg = new Database.Postgres(URL, schema);
    try {
      NodeDirectory.init(tmp.resolve("first"), NodeOptions.defaults().withJdbcUrl(url)).close();

      assertThatThrownBy(
              () ->
                  NodeDirectory.init(
                      tmp.resolve("second"), NodeOptions.defaults().withJdbcUrl(url)))
          .hasFieldOrPropertyWithValue("code", "node.exists")
          .hasMessageContaining(schema);
      assertThat(tmp.resolve("second")).doesNotExist();
      // The first node is untouched.
      NodeDirectory.open(tmp.resolve("first")).close();
    } finally {
      pg.dropSchema();
    }
  }
}

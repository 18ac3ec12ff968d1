package org.salus.store.consent;

import org.junit.jupiter.api.BeforeAll;
import org.salus.store.Database;
import org.salus.store.TestPostgres;

/**
 * The break-glass store contract on PostgreSQL at 127.0.0.1:5432 (see {@link TestPostgres}); each
 * test its own schema, dropped afterwards. Skipped, saying so, when no server answers.
 */
class BreakGlassStorePostgresTest extends BreakGlassStoreContractTest {

  private Database.Postgres pg;

  @BeforeAll
  static void requireServer() {
    TestPostgres.require();
  }

  @Override
  Database newDatabase() {
    pg =
        new Database.Postgres(
            TestPostgres.URL, TestPostgres.uniqueSchema("salus_break_glass_test_"));
    return pg;
  }

  @Override
  void dropDatabase() {
    if (pg != null) {
      pg.dropSchema();
    }
  }
}

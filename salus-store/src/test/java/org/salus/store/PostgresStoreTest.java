package org.salus.store;

import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on PostgreSQL at 127.0.0.1:5432, database {@code test} (override with {@code
 * -Dsalus.test.postgres=JDBC-URL}); each test gets its own schema, dropped afterwards. Skipped,
 * saying so, when no server answers.
 */
class PostgresStoreTest extends StoreContractTest {

  private Database.Postgres pg;

  @BeforeAll
  static void requireServer() {
    TestPostgres.require();
  }

  @Override
  Database newDatabase() {
    pg = new Database.Postgres(TestPostgres.URL, TestPostgres.uniqueSchema("salus_test_"));
    return pg;
  }

  @Override
  void dropDatabase() {
    if (pg != null) {
      pg.dropSchema();
    }
  }
}

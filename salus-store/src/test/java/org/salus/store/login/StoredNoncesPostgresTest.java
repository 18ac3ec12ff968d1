package org.salus.store.login;

import org.junit.jupiter.api.BeforeAll;
import org.salus.store.Database;
import org.salus.store.TestPostgres;

/**
 * The login-nonce store contract on PostgreSQL at 127.0.0.1:5432, database {@code test} (override
 * with {@code -Dsalus.test.postgres=JDBC-URL}); each test its own schema, dropped afterwards.
 * Skipped, saying so, when no server answers.
 */
class StoredNoncesPostgresTest extends StoredNoncesContractTest {

  private Database.Postgres pg;

  @BeforeAll
  static void requireServer() {
    TestPostgres.require();
  }

  @Override
  Database newDatabase() {
    pg = new Database.Postgres(TestPostgres.URL, TestPostgres.uniqueSchema("salus_nonce_test_"));
    return pg;
  }

  @Override
  void dropDatabase() {
    if (pg != null) {
      pg.dropSchema();
    }
  }
}

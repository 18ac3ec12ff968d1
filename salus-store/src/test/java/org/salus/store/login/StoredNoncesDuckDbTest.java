package org.salus.store.login;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.salus.store.Database;

/** The login-nonce store contract on an embedded DuckDB file. */
class StoredNoncesDuckDbTest extends StoredNoncesContractTest {

  @TempDir Path tmp;

  @Override
  Database newDatabase() {
    return new Database.DuckDb(tmp.resolve("node.duckdb"));
  }

  @Override
  void dropDatabase() {
    // The temporary folder goes with the test.
  }
}

package org.salus.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded DuckDB file. */
class DuckDbStoreTest extends StoreContractTest {

  @TempDir Path dir;

  @Override
  Database newDatabase() {
    return new Database.DuckDb(dir.resolve("node.duckdb"));
  }

  @Override
  void dropDatabase() {
    // The temporary folder goes with the test.
  }
}

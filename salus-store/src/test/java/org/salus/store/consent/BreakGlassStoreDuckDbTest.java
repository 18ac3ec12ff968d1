package org.salus.store.consent;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.salus.store.Database;

/** The break-glass store contract on an embedded DuckDB file. */
class BreakGlassStoreDuckDbTest extends BreakGlassStoreContractTest {

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

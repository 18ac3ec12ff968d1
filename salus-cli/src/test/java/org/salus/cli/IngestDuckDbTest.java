package org.salus.cli;

import java.util.List;
import org.salus.store.node.Node;

/** Ingest end to end into the embedded DuckDB store. */
class IngestDuckDbTest extends IngestEndToEndTest {

  @Override
  List<String> storeArgs() {
    return List.of();
  }

  @Override
  void dropStore(Node node) {
    // The database is a file inside the node directory, removed with the temporary folder.
  }
}

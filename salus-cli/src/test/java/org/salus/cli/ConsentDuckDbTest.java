package org.salus.cli;

import java.util.List;
import org.salus.store.node.Node;

/** {@code salus consent} end to end on the embedded DuckDB store. */
class ConsentDuckDbTest extends ConsentCommandTest {

  @Override
  List<String> storeArgs() {
    return List.of();
  }

  @Override
  void dropStore(Node node) {
    // The database is a file inside the node directory, removed with the temporary folder.
  }
}

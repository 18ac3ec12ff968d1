package org.salus.cli;

import java.util.List;
import org.salus.store.node.Node;

/** {@code salus study run} over embedded DuckDB nodes. */
class StudyRunDuckDbTest extends StudyRunCommandTest {

  @Override
  List<String> storeArgs() {
    return List.of();
  }

  @Override
  void dropStore(Node node) {}
}

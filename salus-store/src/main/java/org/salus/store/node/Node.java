package org.salus.store.node;

import java.nio.file.Path;
import org.salus.core.pseudonym.Pseudonymizer;
import org.salus.store.NodeStore;

/**
 * An opened node: its directory, configuration, keys, pseudonymizer and store. Closing it closes
 * the store's connection.
 */
public final class Node implements AutoCloseable {

  private final Path dir;
  private final NodeConfig config;
  private final NodeKeys keys;
  private final Pseudonymizer pseudonymizer;
  private final NodeStore store;

  Node(Path dir, NodeConfig config, NodeKeys keys, NodeStore store) {
    this.dir = dir;
    this.config = config;
    this.keys = keys;
    this.pseudonymizer = new Pseudonymizer(keys.pseudonymSecret());
    this.store = store;
  }

  public Path dir() {
    return dir;
  }

  public NodeConfig config() {
    return config;
  }

  public NodeKeys keys() {
    return keys;
  }

  /** Person and record keys under this node's secret. */
  public Pseudonymizer pseudonymizer() {
    return pseudonymizer;
  }

  public NodeStore store() {
    return store;
  }

  @Override
  public void close() {
    store.close();
  }

  @Override
  public String toString() {
    return "Node[" + config.name() + ", " + config.nodeId() + ", " + dir + "]";
  }
}

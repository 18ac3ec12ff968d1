package org.salus.cli;

import java.time.Instant;
import org.salus.server.credential.NonceStore;
import org.salus.store.Database;
import org.salus.store.login.StoredNonces;

/**
 * A running node's login nonces, kept in its database so that a nonce stays single-use across a
 * restart: the server's {@link NonceStore} over the store's {@link StoredNonces} (salus-store does
 * not depend on salus-server, so the two meet here).
 */
final class NodeNonces implements NonceStore, AutoCloseable {

  private final StoredNonces stored;

  private NodeNonces(StoredNonces stored) {
    this.stored = stored;
  }

  /** Opens the node's nonce table (migrating the schema when needed). */
  static NodeNonces open(Database database) {
    return new NodeNonces(StoredNonces.open(database));
  }

  @Override
  public void put(String key, Instant expiry) {
    stored.put(key, expiry);
  }

  @Override
  public boolean take(String key, Instant now) {
    return stored.take(key, now);
  }

  @Override
  public int purgeExpired(Instant now) {
    return stored.purgeExpired(now);
  }

  @Override
  public void close() {
    stored.close();
  }
}

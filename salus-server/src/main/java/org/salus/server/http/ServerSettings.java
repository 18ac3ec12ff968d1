package org.salus.server.http;

/**
 * Where a node listens.
 *
 * @param host interface to bind, for example {@code 127.0.0.1}
 * @param port TCP port; 0 picks a free one
 */
public record ServerSettings(String host, int port) {

  public ServerSettings {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 0..65535, not " + port);
    }
  }
}

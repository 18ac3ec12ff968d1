package org.salus.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A loopback port held open until a node is about to listen on it. A federation on one machine
 * names each member's port in its trust list before the member starts; holding the port closes the
 * window in which an outgoing connection or another test could take it.
 */
final class ReservedPort implements AutoCloseable {

  private final ServerSocket socket;
  private final int port;

  private ReservedPort(ServerSocket socket) {
    this.socket = socket;
    this.port = socket.getLocalPort();
  }

  /** A free port, held. */
  static ReservedPort take() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return new ReservedPort(s);
  }

  int port() {
    return port;
  }

  /** Lets the port go, just before the node binds it. */
  @Override
  public void close() throws IOException {
    socket.close();
  }
}

package org.salus.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An issuer's status list published over HTTP on this machine ({@code GET /status/1}, media type
 * {@code application/statuslist+jwt}), for the demo's credential register: nodes fetch it at start
 * and on every refresh, as they would fetch a real issuer's list. The list is signed, so the
 * transport needs no TLS for integrity; a real issuer serves it over HTTPS.
 */
final class StatusListServer implements AutoCloseable {

  private final HttpServer server;
  private final AtomicReference<String> current = new AtomicReference<>("");

  private StatusListServer(HttpServer server) {
    this.server = server;
  }

  /** Listens on a free port of the loopback interface. */
  static StatusListServer start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    StatusListServer s = new StatusListServer(server);
    server.createContext(
        "/status/1",
        exchange -> {
          byte[] body = s.current.get().getBytes(StandardCharsets.US_ASCII);
          boolean ready = body.length > 0 && exchange.getRequestMethod().equals("GET");
          exchange.getResponseHeaders().set("Content-Type", "application/statuslist+jwt");
          exchange.sendResponseHeaders(ready ? 200 : 404, ready ? body.length : -1);
          if (ready) {
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.start();
    return s;
  }

  /** The list's URL, as the trust list and the credentials name it. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/status/1";
  }

  /** Serves this signed list from now on. */
  void publish(String statusListJwt) {
    current.set(statusListJwt.strip());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package org.salus.server.http;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Map;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.salus.core.error.SalusException;
import org.salus.core.trust.RouteDeclaration;
import org.salus.core.trust.RouteTable;
import org.salus.server.trust.NodeTls;

/**
 * A node's HTTPS server: Javalin on Jetty, TLS 1.3 only, client certificate required, every route
 * declared in the {@link RouteTable} and guarded by the {@link Guard}. Refuses to start when a
 * handler has no declaration (default deny).
 */
public final class NodeServer implements AutoCloseable {

  private final Javalin app;
  private final ServerConnector connector;

  private NodeServer(Javalin app, ServerConnector connector) {
    this.app = app;
    this.connector = connector;
  }

  /**
   * Starts the server.
   *
   * @param handlers by route key ({@code GET /status}); must match the table exactly
   * @throws SalusException {@code route.undeclared} or {@code route.unhandled}
   */
  public static NodeServer start(
      ServerSettings settings,
      NodeTls tls,
      RouteTable table,
      Map<String, Handler> handlers,
      Guard guard) {
    table.requireDeclared(handlers.keySet());
    ServerConnector[] connector = new ServerConnector[1];
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.jetty.addConnector(
                  (server, http) -> {
                    connector[0] = tlsConnector(server, http, tls, settings);
                    return connector[0];
                  });
              config.routes.beforeMatched(guard);
              for (RouteDeclaration d : table.declarations()) {
                config.routes.addHttpHandler(
                    HandlerType.findOrCreate(d.method()), d.path(), handlers.get(d.key()));
              }
              config.routes.exception(ProblemException.class, (e, ctx) -> Problems.write(ctx, e));
              config.routes.exception(SalusException.class, (e, ctx) -> Problems.write(ctx, e));
            });
    app.start();
    return new NodeServer(app, connector[0]);
  }

  private static ServerConnector tlsConnector(
      org.eclipse.jetty.server.Server server,
      HttpConfiguration http,
      NodeTls tls,
      ServerSettings settings) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(tls.context());
    ssl.setNeedClientAuth(true);
    ssl.setIncludeProtocols(NodeTls.PROTOCOL);
    HttpConfiguration https = new HttpConfiguration(http);
    // Host names are checked by the client against the certificate; peers are checked by the
    // trust manager, so Jetty's SNI host check adds nothing.
    https.addCustomizer(new SecureRequestCustomizer(false));
    ServerConnector c =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
    c.setHost(settings.host());
    c.setPort(settings.port());
    return c;
  }

  /** The port actually bound (useful when 0 was asked for). */
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    app.stop();
  }
}

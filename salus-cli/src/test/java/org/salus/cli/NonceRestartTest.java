package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.salus.cli.FederationSteps.ok;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.salus.core.trust.Role;
import org.salus.server.http.PeerClient;
import org.salus.server.http.ServerSettings;
import org.salus.store.Database;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;

/**
 * Login nonces outlive a node restart, as {@code salus node start} runs the node (its nonces in the
 * node's database): a nonce issued before the restart is still accepted once after it, and a
 * presentation whose nonce was used before the restart is refused after it. On the embedded DuckDB
 * file and on PostgreSQL (skipped when no server answers).
 */
class NonceRestartTest {

  private static final String NODE = "hospital-a";

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"duckdb", "postgresql"})
  void aNonceIsSingleUseAcrossARestart(String store) throws Exception {
    List<String> init = new ArrayList<>(List.of("node", "init", "--dir", dir().toString()));
    if (store.equals("postgresql")) {
      assumeTrue(
          IngestPostgresTest.reachable(),
          "PostgreSQL tests skipped: no server at "
              + IngestPostgresTest.URL.replaceAll("\\?.*", ""));
      init.addAll(List.of("--db", IngestPostgresTest.URL));
    }
    ok(init.toArray(String[]::new));
    try {
      ReservedPort port = ReservedPort.take();
      port.close();
      LocalFederation fed =
          LocalFederation.create(
              tmp.resolve("fed"),
              "eu-health",
              List.of(new LocalFederation.Member(NODE, dir(), port.port(), "NL")));
      Path researcher = fed.credential("researcher", "researcher-1", 1, "institution=Erasmus");

      String used;
      String unused;
      try (RunningNode node = start(fed)) {
        NodeLogin login = login(node, fed);
        used = login.present(researcher, Role.RESEARCHER, login.nonce());
        assertThat(login.login(used).statusCode()).isEqualTo(200);
        assertThat(login.login(used).statusCode()).as("replayed before the restart").isEqualTo(401);
        unused = login.present(researcher, Role.RESEARCHER, login.nonce());
      }

      try (RunningNode node = start(fed)) {
        NodeLogin login = login(node, fed);
        HttpResponse<String> replay = login.login(used);
        assertThat(replay.statusCode())
            .as("a nonce used before the restart: " + replay.body())
            .isEqualTo(401);
        assertThat(replay.body()).contains("credential.nonce").doesNotContain("access_token");
        HttpResponse<String> late = login.login(unused);
        assertThat(late.statusCode())
            .as("a nonce issued before the restart: " + late.body())
            .isEqualTo(200);
        assertThat(login.login(unused).statusCode()).as("and used once").isEqualTo(401);
      }
      assertThat(rows()).as("no nonce left outstanding").isZero();
    } finally {
      if (store.equals("postgresql")) {
        try (Node node = NodeDirectory.open(dir())) {
          if (node.store().database() instanceof Database.Postgres pg) {
            pg.dropSchema();
          }
        }
      }
    }
  }

  private Path dir() {
    return tmp.resolve(NODE);
  }

  private RunningNode start(LocalFederation fed) throws Exception {
    RunningNode node =
        RunningNode.start(
            dir(),
            new ServerSettings("localhost", 0),
            Optional.empty(),
            Duration.ofHours(1),
            l -> {});
    node.node().statusLists().refresh(fed.statusList());
    return node;
  }

  private static NodeLogin login(RunningNode node, LocalFederation fed) {
    return new NodeLogin(
        new PeerClient(node.node().tls()), node.node().port(), NODE, fed.holderKey());
  }

  private long rows() throws Exception {
    try (Node node = NodeDirectory.open(dir());
        java.sql.Connection c = node.store().database().connect();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM login_nonce")) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }
}

package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salus.cli.FederationSteps.addNode;
import static org.salus.cli.FederationSteps.gatewayClient;
import static org.salus.cli.FederationSteps.ok;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.server.http.PeerClient;
import org.salus.server.http.ServerSettings;
import org.salus.server.http.TrustedNode;
import org.salus.server.http.TrustedNodeConfig;
import org.salus.server.trust.FederationDirectory;
import org.salus.server.trust.NodeKeyFiles;

/** The walk-through of docs/trust.md, command by command, ending with a login over mutual TLS. */
class FederationWalkthroughTest {

  @TempDir Path tmp;

  @Test
  void operatorAdmitsNodesAndIssuerThenAClinicianLogsIn() throws Exception {
    Path fed = tmp.resolve("federation");
    Path a = tmp.resolve("node-a");
    Path gw = tmp.resolve("gateway");
    ok("federation", "init", "--dir", fed.toString(), "--id", "eu-health");
    ok("federation", "node-keys", "--out", a.toString(), "--node-id", "node-a");
    ok("federation", "node-keys", "--out", gw.toString(), "--node-id", "gateway");
    addNode(fed, a, "node-a");
    addNode(fed, gw, "gateway");
    ok("credential", "keys", "--out", tmp.resolve("issuer.jwk").toString(), "--kid", "big");
    ok("credential", "keys", "--out", tmp.resolve("holder.jwk").toString(), "--kid", "h");
    String statusUrl = "https://big.example/status/1";
    ok(
        "federation",
        "add-issuer",
        "--dir",
        fed.toString(),
        "--issuer-id",
        "big-register",
        "--name",
        "BIG register",
        "--kind",
        "professional_register",
        "--country",
        "NL",
        "--key",
        tmp.resolve("issuer.pub.jwk").toString(),
        "--status-url",
        statusUrl,
        "--accepted-by",
        "node-a");
    assertThat(trustListVersion(fed)).isEqualTo(3);

    try (TrustedNode node =
        TrustedNode.start(
            new TrustedNodeConfig(
                "node-a",
                fed.resolve(FederationDirectory.TRUST_LIST),
                fed.resolve(FederationDirectory.OPERATOR_PUBLIC_KEY),
                fed.resolve(FederationDirectory.CA_CERT),
                a.resolve(NodeKeyFiles.SIGNING),
                a.resolve(NodeKeyFiles.TLS_KEY),
                fed.resolve("nodes/node-a/tls.pem"),
                new ServerSettings("localhost", 0)))) {
      ok(
          "credential",
          "status-list",
          "--issuer-key",
          tmp.resolve("issuer.jwk").toString(),
          "--status-url",
          statusUrl,
          "--out",
          tmp.resolve("status.jwt").toString());
      node.statusLists().refresh(Files.readString(tmp.resolve("status.jwt")));

      ok(
          "credential",
          "issue",
          "--issuer-id",
          "big-register",
          "--issuer-key",
          tmp.resolve("issuer.jwk").toString(),
          "--status-url",
          statusUrl,
          "--status-index",
          "5",
          "--role",
          "clinician",
          "--subject",
          "clin-1",
          "--claim",
          "profession=physician",
          "--claim",
          "licence_number=19-123",
          "--claim",
          "country=NL",
          "--claim",
          "birthdate=1980-01-01",
          "--holder-key",
          tmp.resolve("holder.pub.jwk").toString(),
          "--out",
          tmp.resolve("clinician.sdjwt").toString());

      PeerClient client = gatewayClient(fed, gw);
      String base = "https://localhost:" + node.port();
      String nonce =
          (String)
              JSONObjectUtils.parse(
                      client
                          .post(
                              URI.create(base + "/login/nonce"), "text/plain", "", Optional.empty())
                          .body())
                  .get("nonce");
      ok(
          "credential",
          "present",
          "--credential",
          tmp.resolve("clinician.sdjwt").toString(),
          "--holder-key",
          tmp.resolve("holder.jwk").toString(),
          "--reveal",
          "profession,country",
          "--nonce",
          nonce,
          "--audience",
          "node-a",
          "--out",
          tmp.resolve("p.txt").toString());
      assertThat(Files.readString(tmp.resolve("p.txt"))).doesNotContain("1980");

      HttpResponse<String> login =
          client.post(
              URI.create(base + "/login"),
              "text/plain",
              Files.readString(tmp.resolve("p.txt")),
              Optional.empty());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      String token = (String) JSONObjectUtils.parse(login.body()).get("access_token");
      HttpResponse<String> me = client.get(URI.create(base + "/me"), Optional.of(token));
      assertThat(me.statusCode()).isEqualTo(200);
      assertThat(me.body()).contains("\"role\":\"clinician\"");
      HttpResponse<String> admin =
          client.get(URI.create(base + "/admin/whoami"), Optional.of(token));
      assertThat(admin.statusCode()).isEqualTo(403);
    }

    ok("federation", "remove-node", "--dir", fed.toString(), "--node-id", "gateway");
    assertThat(trustListVersion(fed)).isEqualTo(4);
  }

  @Test
  void aChangeToAMissingFederationFailsWithAClearMessage() {
    int code =
        Main.run(
            "federation", "remove-node", "--dir", tmp.resolve("none").toString(), "--node-id", "x");
    assertThat(code).isEqualTo(ErrorHandler.REFUSED);
  }

  private static long trustListVersion(Path fed) throws Exception {
    String jws = Files.readString(fed.resolve(FederationDirectory.TRUST_LIST)).strip();
    return (Long) com.nimbusds.jose.JWSObject.parse(jws).getPayload().toJSONObject().get("version");
  }
}

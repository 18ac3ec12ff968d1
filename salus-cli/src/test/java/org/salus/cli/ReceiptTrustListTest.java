package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salus.cli.FederationSteps.ok;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.cli.StudyRunCommandTest.Run;
import org.salus.server.trust.FederationDirectory;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;

/**
 * {@code salus receipt verify --trust-list}: the nodes' log keys come from the federation's signed
 * trust list, found by the origin of each node's checkpoints; a list the operator did not sign, or
 * a receipt whose proofs a listed key does not verify, is refused.
 */
class ReceiptTrustListTest {

  @TempDir Path tmp;

  @Test
  void aReceiptVerifiesAgainstTheSignedTrustListAndNotAgainstAnotherOperator() throws Exception {
    Path fed = tmp.resolve("fed");
    ok("federation", "init", "--dir", fed.toString(), "--id", "eu-health");
    List<Path> dirs = new ArrayList<>();
    for (String id : List.of("node-a", "node-b")) {
      Path dir = tmp.resolve(id);
      ok("node", "init", "--dir", dir.toString(), "--name", id);
      ok("node", "join", "--dir", dir.toString(), "--node-id", id);
      FederationSteps.addNode(fed, dir.resolve(NodeFederation.DIR), id);
      ok("consent", "defaults", "--dir", dir.toString(), "--set", "HRESCH=opt-out");
      people(dir, id, 30);
      dirs.add(dir);
    }
    // node-a rotated its log key: the receipt carries the rotation proof, so the trust list's
    // (first) key still verifies its part.
    ok("ledger", "rotate-key", "--dir", dirs.get(0).toString());
    Path spec = tmp.resolve("study.json");
    Files.writeString(
        spec,
        """
        { "id": "dp-trust", "title": "Noisy count", "purpose": "HRESCH",
          "cohort": { "indexDate": { "fixed": "2020-01-01" } },
          "analyses": [ { "type": "count" }, { "type": "histogram",
            "variable": { "type": "age" }, "edges": [0, 40, 80, 120] } ],
          "nodes": ["node-a", "node-b"], "privacy": { "rho": 0.2 } }
        """);
    Path receipt = tmp.resolve("receipt.json");
    ok(
        "study",
        "run",
        spec.toString(),
        "--researcher",
        "erin",
        "--receipt",
        receipt.toString(),
        "--node",
        dirs.get(0).toString(),
        "--node",
        dirs.get(1).toString());
    Path list = fed.resolve(FederationDirectory.TRUST_LIST);
    Path operator = fed.resolve(FederationDirectory.OPERATOR_PUBLIC_KEY);
    Run verified =
        StudyRunCommandTest.salus(
            "receipt",
            "verify",
            receipt.toString(),
            "--trust-list",
            list.toString(),
            "--operator-key",
            operator.toString());
    assertThat(verified.exit()).as(verified.err()).isZero();
    assertThat(verified.out()).contains("node-a").contains("node-b");

    // another federation's operator did not sign this list
    Path other = tmp.resolve("other");
    ok("federation", "init", "--dir", other.toString(), "--id", "elsewhere");
    Run wrongOperator =
        StudyRunCommandTest.salus(
            "receipt",
            "verify",
            receipt.toString(),
            "--trust-list",
            list.toString(),
            "--operator-key",
            other.resolve(FederationDirectory.OPERATOR_PUBLIC_KEY).toString());
    assertThat(wrongOperator.exit()).isNotZero();

    // a list that names other keys for these nodes: the proofs do not verify
    for (String id : List.of("node-a", "node-b")) {
      Path dir = tmp.resolve("impostor-" + id);
      ok("node", "init", "--dir", dir.toString(), "--name", id);
      ok("node", "join", "--dir", dir.toString(), "--node-id", id);
      FederationSteps.addNode(other, dir.resolve(NodeFederation.DIR), id);
    }
    Run impostors =
        StudyRunCommandTest.salus(
            "receipt",
            "verify",
            receipt.toString(),
            "--trust-list",
            other.resolve(FederationDirectory.TRUST_LIST).toString(),
            "--operator-key",
            other.resolve(FederationDirectory.OPERATOR_PUBLIC_KEY).toString());
    assertThat(impostors.exit()).isNotZero();
    assertThat(impostors.err()).contains("receipt.invalid");

    // both ways at once is a usage error
    Run both =
        StudyRunCommandTest.salus(
            "receipt",
            "verify",
            receipt.toString(),
            "--trust-list",
            list.toString(),
            "--operator-key",
            operator.toString(),
            "--log-key",
            "node-a=x");
    assertThat(both.exit()).isNotZero();
  }

  private static void people(Path dir, String prefix, int n) throws Exception {
    try (Node node = NodeDirectory.open(dir);
        Connection c = node.store().database().connect();
        PreparedStatement p =
            c.prepareStatement("INSERT INTO person VALUES (?, ?, ?, ?, 'day', ?)")) {
      for (int k = 0; k < n; k++) {
        LocalDate birth = LocalDate.of(1950 + k, 3, 1);
        p.setString(1, "rec-" + prefix + "-" + k);
        p.setString(2, prefix + "-" + k);
        p.setString(3, k % 2 == 0 ? "female" : "male");
        p.setObject(4, birth);
        p.setInt(5, birth.getYear());
        p.executeUpdate();
      }
    }
  }
}

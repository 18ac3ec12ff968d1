package org.salus.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code salus node join}: prepares a node to be admitted to a federation. Writes the public halves
 * of the node's own keys (keys.json) and a fresh TLS key pair into {@code D/federation/}, and
 * prints the {@code salus federation add-node} command the operator runs.
 */
@Command(
    name = "join",
    mixinStandardHelpOptions = true,
    description =
        "Write this node's public keys and a new TLS key into DIR/federation/ for the operator.")
final class NodeJoinCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin Reporting reporting;

  @Option(names = "--dir", required = true, description = "The node's folder.")
  Path dir;

  @Option(
      names = "--node-id",
      required = true,
      description = "The node's id in the federation, e.g. node-a.")
  String nodeId;

  /** The JSON shape. */
  record Result(
      String nodeId,
      String signingKey,
      String x25519Key,
      String tlsPublicKey,
      String tlsPrivateKey,
      String operatorCommand) {}

  @Override
  public Integer call() throws IOException {
    NodeFederation.Joined j = NodeFederation.join(dir, nodeId);
    String command =
        "salus federation add-node --dir FED --node-id "
            + nodeId
            + " --name NAME --country CC --url https://HOST:PORT"
            + " --signing-key "
            + j.signingKey().getFileName()
            + " --x25519-key "
            + j.agreementKey().getFileName()
            + " --tls-key "
            + j.tlsPublicKey().getFileName();
    Result r =
        new Result(
            nodeId,
            j.signingKey().toString(),
            j.agreementKey().toString(),
            j.tlsPublicKey().toString(),
            j.tlsPrivateKey().toString(),
            command);
    String text =
        "Node "
            + nodeId
            + " is ready to join. Send the operator "
            + j.signingKey()
            + ", "
            + j.agreementKey()
            + " and "
            + j.tlsPublicKey()
            + "; the operator runs\n  "
            + command
            + "\nand hands back trust-list.jws, operator.pub.jwk, ca.pem and nodes/"
            + nodeId
            + "/tls.pem, to be placed in "
            + NodeFederation.dir(dir)
            + ".";
    reporting.print(spec.commandLine().getOut(), r, text);
    return 0;
  }
}

package org.salus.cli;

import com.nimbusds.jose.jwk.Curve;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.salus.core.trust.IssuerKind;
import org.salus.core.trust.TrustList;
import org.salus.core.trust.TrustedIssuer;
import org.salus.server.trust.Ed25519Keys;
import org.salus.server.trust.FederationDirectory;
import org.salus.server.trust.FederationOperator;
import org.salus.server.trust.NodeKeyFiles;
import org.salus.server.trust.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code salus federation ...}: the operator's commands over a federation directory. */
@Command(
    name = "federation",
    mixinStandardHelpOptions = true,
    description = "Create a federation and admit or remove nodes and credential issuers.",
    subcommands = {
      FederationCommand.Init.class,
      FederationCommand.NodeKeys.class,
      FederationCommand.AddNode.class,
      FederationCommand.RemoveNode.class,
      FederationCommand.AddIssuer.class
    })
final class FederationCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** What every change prints. */
  record Result(String federation, long version, String expires, String trustList, int nodes) {
    static Result of(TrustList l, Path file) {
      return new Result(
          l.federationId(), l.version(), l.expires().toString(), file.toString(), l.nodes().size());
    }

    String text(String what) {
      return what + "; trust list version " + version + " (" + nodes + " nodes) in " + trustList;
    }
  }

  abstract static class Change implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Option(names = "--dir", required = true, description = "Federation directory.")
    Path dir;

    abstract String apply(FederationOperator op) throws IOException;

    @Override
    public Integer call() throws IOException {
      FederationOperator op = FederationDirectory.open(dir, Clock.systemUTC());
      String what = apply(op);
      Path file = FederationDirectory.save(dir, op);
      Result r = Result.of(op.current(), file);
      reporting.print(spec.commandLine().getOut(), r, r.text(what));
      return 0;
    }
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = "Create a federation: operator key, CA, empty trust list.")
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Option(names = "--dir", required = true, description = "New federation directory.")
    Path dir;

    @Option(
        names = "--id",
        defaultValue = "salus",
        description = "Federation id (default: ${DEFAULT-VALUE}).")
    String id;

    @Override
    public Integer call() throws IOException {
      FederationOperator op = FederationDirectory.init(dir, id, Clock.systemUTC());
      Result r = Result.of(op.current(), dir.resolve(FederationDirectory.TRUST_LIST));
      reporting.print(
          spec.commandLine().getOut(),
          r,
          r.text(
              "Created federation "
                  + id
                  + " (give "
                  + dir.resolve(FederationDirectory.OPERATOR_PUBLIC_KEY)
                  + " and "
                  + dir.resolve(FederationDirectory.CA_CERT)
                  + " to every node)"));
      return 0;
    }
  }

  @Command(
      name = "node-keys",
      mixinStandardHelpOptions = true,
      description = "Generate a node's key files (run on the node).")
  static final class NodeKeys implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Option(names = "--out", required = true, description = "Folder for the key files.")
    Path out;

    @Option(names = "--node-id", required = true, description = "The node's id.")
    String nodeId;

    @Override
    public Integer call() throws IOException {
      List<String> pub = NodeKeyFiles.generate(out, nodeId).stream().map(Path::toString).toList();
      reporting.print(
          spec.commandLine().getOut(),
          pub,
          "Wrote keys for " + nodeId + "; send the operator " + pub);
      return 0;
    }
  }

  @Command(
      name = "add-node",
      mixinStandardHelpOptions = true,
      description = "Admit a node: issue its TLS certificate and list it.")
  static final class AddNode extends Change {
    @Option(names = "--node-id", required = true)
    String nodeId;

    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--country", required = true, description = "ISO 3166-1 alpha-2, e.g. NL.")
    String country;

    @Option(
        names = "--url",
        required = true,
        description = "Base URL, e.g. https://node-a.example:8443.")
    String url;

    @Option(
        names = "--signing-key",
        required = true,
        description = "Node's public Ed25519 JWK (signing.pub.jwk).")
    Path signingKey;

    @Option(
        names = "--x25519-key",
        required = true,
        description = "Node's public X25519 JWK (x25519.pub.jwk).")
    Path agreementKey;

    @Option(
        names = "--tls-key",
        required = true,
        description = "Node's public TLS key, PEM (tls.pub.pem).")
    Path tlsKey;

    @Override
    String apply(FederationOperator op) throws IOException {
      X509Certificate cert =
          op.admitNode(
              nodeId,
              name,
              country,
              url,
              Ed25519Keys.parse(Files.readString(signingKey), Curve.Ed25519, "--signing-key"),
              Ed25519Keys.parse(Files.readString(agreementKey), Curve.X25519, "--x25519-key"),
              Pem.parseEcPublicKey(Files.readString(tlsKey)));
      Path certFile = FederationDirectory.saveNodeCertificate(dir, nodeId, cert);
      return "Admitted " + nodeId + ", TLS certificate in " + certFile;
    }
  }

  @Command(
      name = "remove-node",
      mixinStandardHelpOptions = true,
      description = "Remove a node from the trust list.")
  static final class RemoveNode extends Change {
    @Option(names = "--node-id", required = true)
    String nodeId;

    @Override
    String apply(FederationOperator op) {
      op.removeNode(nodeId);
      return "Removed " + nodeId;
    }
  }

  @Command(
      name = "add-issuer",
      mixinStandardHelpOptions = true,
      description = "List a credential issuer and name the nodes that accept it.")
  static final class AddIssuer extends Change {
    @Option(names = "--issuer-id", required = true)
    String issuerId;

    @Option(names = "--name", required = true)
    String name;

    @Option(
        names = "--kind",
        required = true,
        description = "hospital, eid, professional_register or federation.")
    String kind;

    @Option(names = "--country", required = true)
    String country;

    @Option(names = "--key", required = true, description = "Issuer's public JWK.")
    Path key;

    @Option(
        names = "--status-url",
        required = true,
        description = "Where the issuer publishes its status list.")
    String statusUrl;

    @Option(
        names = "--accepted-by",
        required = true,
        split = ",",
        description = "Node ids that accept this issuer.")
    Set<String> acceptedBy;

    @Override
    String apply(FederationOperator op) throws IOException {
      String jwk = Jwks.read(key, "--key").toPublicJWK().toJSONString();
      op.addIssuer(
          new TrustedIssuer(
              issuerId,
              name,
              IssuerKind.valueOf(kind.toUpperCase(Locale.ROOT)),
              country,
              jwk,
              statusUrl),
          acceptedBy);
      return "Listed issuer " + issuerId + ", accepted by " + acceptedBy;
    }
  }
}

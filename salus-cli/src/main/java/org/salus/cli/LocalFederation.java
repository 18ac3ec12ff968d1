package org.salus.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.salus.core.error.SalusException;
import org.salus.server.trust.FederationDirectory;
import org.salus.server.trust.NodeKeyFiles;
import picocli.CommandLine;

/**
 * A federation on one machine, for the demo and the tests: the operator's folder, every member
 * joined and admitted with its {@code https://localhost:PORT} URL, one credential issuer accepted
 * by all, the operator's files handed to every member — the same steps an operator and the nodes'
 * administrators take with the {@code salus federation}, {@code salus node join} and {@code salus
 * credential} commands, run here in order.
 */
final class LocalFederation {

  /** The issuer every member accepts. */
  static final String ISSUER = "demo-register";

  /** A member: node id, directory (made by {@code salus node init}), port and country. */
  record Member(String id, Path dir, int port, String country) {
    String url() {
      return "https://localhost:" + port;
    }
  }

  private final Path dir;
  private final Path keys;
  private final String statusUrl;

  private LocalFederation(Path dir, Path keys, String statusUrl) {
    this.dir = dir;
    this.keys = keys;
    this.statusUrl = statusUrl;
  }

  /** The operator's folder. */
  Path dir() {
    return dir;
  }

  /** As below, with a status-list URL nobody serves (tests load the list into the nodes). */
  static LocalFederation create(Path dir, String federationId, List<Member> members) {
    return create(dir, federationId, members, "https://" + ISSUER + ".example/status/1");
  }

  /**
   * Creates the federation in {@code dir} with every member admitted and handed its files; the
   * issuer publishes its status list at {@code statusUrl}.
   */
  static LocalFederation create(
      Path dir, String federationId, List<Member> members, String statusUrl) {
    Path keys = dir.resolve("issuer");
    run("federation", "init", "--dir", dir.toString(), "--id", federationId);
    for (Member m : members) {
      run("node", "join", "--dir", m.dir().toString(), "--node-id", m.id());
      admit(dir, m.id(), m.id(), m.country(), m.url(), m.dir().resolve(NodeFederation.DIR));
    }
    try {
      Files.createDirectories(keys);
    } catch (IOException e) {
      throw new SalusException("demo.io", "cannot create " + keys);
    }
    run("credential", "keys", "--out", keys.resolve("issuer.jwk").toString(), "--kid", "issuer");
    run("credential", "keys", "--out", keys.resolve("holder.jwk").toString(), "--kid", "holder");
    run(
        "federation",
        "add-issuer",
        "--dir",
        dir.toString(),
        "--issuer-id",
        ISSUER,
        "--name",
        "Demo credential register",
        "--kind",
        "federation",
        "--country",
        members.get(0).country(),
        "--key",
        keys.resolve("issuer.pub.jwk").toString(),
        "--status-url",
        statusUrl,
        "--accepted-by",
        String.join(",", members.stream().map(Member::id).toList()));
    for (Member m : members) {
      handOver(dir, m.dir(), m.id());
    }
    return new LocalFederation(dir, keys, statusUrl);
  }

  /**
   * The operator admits a node: its public keys (in {@code keys}, as {@code salus node join} or
   * {@code salus federation node-keys} wrote them), name, country and URL go into the trust list.
   */
  static void admit(Path fed, String id, String name, String country, String url, Path keys) {
    run(
        "federation",
        "add-node",
        "--dir",
        fed.toString(),
        "--node-id",
        id,
        "--name",
        name,
        "--country",
        country,
        "--url",
        url,
        "--signing-key",
        keys.resolve(NodeKeyFiles.SIGNING_PUBLIC).toString(),
        "--x25519-key",
        keys.resolve(NodeKeyFiles.AGREEMENT_PUBLIC).toString(),
        "--tls-key",
        keys.resolve(NodeKeyFiles.TLS_PUBLIC).toString());
  }

  /** What the operator gives a member, copied into its {@code federation/} folder. */
  static void handOver(Path fed, Path nodeDir, String nodeId) {
    Path to = nodeDir.resolve(NodeFederation.DIR);
    try {
      for (String f : NodeFederation.FROM_OPERATOR) {
        Path from =
            f.equals(NodeFederation.TLS_CERT)
                ? fed.resolve("nodes").resolve(nodeId).resolve("tls.pem")
                : fed.resolve(f);
        Files.copy(from, to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new SalusException("demo.io", "cannot hand the federation files to " + nodeId);
    }
  }

  /** Where the issuer publishes its status list. */
  String statusUrl() {
    return statusUrl;
  }

  /** The trust list the operator signed last. */
  Path trustList() {
    return dir.resolve(FederationDirectory.TRUST_LIST);
  }

  /** The private key every demo credential is bound to. */
  Path holderKey() {
    return keys.resolve("holder.jwk");
  }

  /** Issues a credential of {@code role} to {@code subject} with the given claims. */
  Path credential(String role, String subject, int statusIndex, String... claims) {
    Path out = keys.resolve(subject + ".sdjwt");
    List<String> args =
        new ArrayList<>(
            List.of(
                "credential",
                "issue",
                "--issuer-id",
                ISSUER,
                "--issuer-key",
                keys.resolve("issuer.jwk").toString(),
                "--status-url",
                statusUrl,
                "--status-index",
                Integer.toString(statusIndex),
                "--role",
                role,
                "--subject",
                subject,
                "--holder-key",
                keys.resolve("holder.pub.jwk").toString(),
                "--out",
                out.toString()));
    for (String c : claims) {
      args.add("--claim");
      args.add(c);
    }
    run(args.toArray(String[]::new));
    return out;
  }

  /** The issuer's current status list (nothing revoked), as a running node loads it. */
  String statusList() {
    Path out = keys.resolve("status.jwt");
    run(
        "credential",
        "status-list",
        "--issuer-key",
        keys.resolve("issuer.jwk").toString(),
        "--status-url",
        statusUrl,
        "--out",
        out.toString());
    try {
      return Files.readString(out);
    } catch (IOException e) {
      throw new SalusException("demo.io", "cannot read " + out);
    }
  }

  /** Runs a {@code salus} command quietly; its error output becomes the exception's message. */
  static void run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    if (exit != 0) {
      throw new SalusException(
          "demo.step.failed",
          "salus " + args[0] + " " + args[1] + " failed: " + err.toString().strip());
    }
  }
}

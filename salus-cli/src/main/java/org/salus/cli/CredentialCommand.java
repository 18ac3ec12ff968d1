package org.salus.cli;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.salus.core.error.SalusException;
import org.salus.core.trust.Role;
import org.salus.core.trust.StatusBits;
import org.salus.server.credential.CredentialHolder;
import org.salus.server.credential.CredentialIssuer;
import org.salus.server.credential.StatusListToken;
import org.salus.server.trust.Ed25519Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code salus credential ...}: issue and present SD-JWT VCs, publish status lists (demos, tests).
 */
@Command(
    name = "credential",
    mixinStandardHelpOptions = true,
    description = "Issue and present SD-JWT verifiable credentials; publish a status list.",
    subcommands = {
      CredentialCommand.Keys.class,
      CredentialCommand.Issue.class,
      CredentialCommand.Present.class,
      CredentialCommand.StatusList.class
    })
final class CredentialCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  record Written(String file) {}

  static Integer written(CommandSpec spec, Reporting reporting, Path out, String what) {
    reporting.print(spec.commandLine().getOut(), new Written(out.toString()), what + " in " + out);
    return 0;
  }

  @Command(
      name = "keys",
      mixinStandardHelpOptions = true,
      description = "Generate an Ed25519 key (issuer or holder): FILE and FILE.pub.jwk.")
  static final class Keys implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Option(names = "--out", required = true, description = "Private key file, e.g. holder.jwk.")
    Path out;

    @Option(names = "--kid", required = true, description = "Key id.")
    String kid;

    @Override
    public Integer call() throws IOException {
      if (Files.exists(out)) {
        throw new SalusException("key.exists", out + " exists; refusing to overwrite a key");
      }
      OctetKeyPair k = Ed25519Keys.newSigningKey(kid);
      Files.writeString(out, k.toJSONString());
      Path pub =
          out.resolveSibling(out.getFileName().toString().replaceFirst("\\.jwk$", "") + ".pub.jwk");
      Files.writeString(pub, k.toPublicJWK().toJSONString());
      return written(spec, reporting, out, "Wrote private key (public key " + pub + ")");
    }
  }

  @Command(
      name = "issue",
      mixinStandardHelpOptions = true,
      description = "Issue an SD-JWT VC; every claim is selectively disclosable.")
  static final class Issue implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Option(names = "--issuer-id", required = true)
    String issuerId;

    @Option(names = "--issuer-key", required = true, description = "Issuer's private JWK.")
    Path issuerKey;

    @Option(names = "--status-url", required = true)
    String statusUrl;

    @Option(
        names = "--status-index",
        required = true,
        description = "This credential's index in the status list.")
    int statusIndex;

    @Option(
        names = "--role",
        required = true,
        description = "patient, clinician, researcher, steward or auditor.")
    String role;

    @Option(names = "--subject", required = true, description = "Pseudonymous subject id.")
    String subject;

    @Option(names = "--claim", description = "name=value, repeatable (e.g. profession=physician).")
    Map<String, String> claims = new LinkedHashMap<>();

    @Option(names = "--holder-key", required = true, description = "Holder's public JWK.")
    Path holderKey;

    @Option(
        names = "--days",
        defaultValue = "365",
        description = "Validity (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--out", required = true)
    Path out;

    @Override
    public Integer call() throws IOException {
      Role r =
          Role.ofWireName(role)
              .orElseThrow(
                  () ->
                      new SalusException(
                          "credential.role-unknown",
                          "--role "
                              + role
                              + " is not one of patient, clinician, researcher, steward, auditor"));
      String credential =
          new CredentialIssuer(
                  issuerId, Jwks.read(issuerKey, "--issuer-key"), statusUrl, Clock.systemUTC())
              .issue(
                  r,
                  subject,
                  Map.copyOf(claims),
                  Jwks.read(holderKey, "--holder-key"),
                  statusIndex,
                  Duration.ofDays(days));
      Files.writeString(out, credential + "\n");
      return written(spec, reporting, out, "Issued a " + r.wireName() + " credential");
    }
  }

  @Command(
      name = "present",
      mixinStandardHelpOptions = true,
      description = "Present a credential to a node: chosen disclosures and a key-binding JWT.")
  static final class Present implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Option(names = "--credential", required = true)
    Path credential;

    @Option(names = "--holder-key", required = true, description = "Holder's private JWK.")
    Path holderKey;

    @Option(
        names = "--reveal",
        split = ",",
        description = "Claims to disclose, e.g. profession,country.")
    Set<String> reveal = Set.of();

    @Option(
        names = "--nonce",
        required = true,
        description = "The node's nonce (POST /login/nonce).")
    String nonce;

    @Option(names = "--audience", required = true, description = "The node id.")
    String audience;

    @Option(names = "--out", required = true)
    Path out;

    @Override
    public Integer call() throws IOException {
      JWK key = Jwks.read(holderKey, "--holder-key");
      String p =
          new CredentialHolder(key)
              .present(
                  Files.readString(credential).strip(), reveal, nonce, audience, Instant.now());
      Files.writeString(out, p + "\n");
      return written(spec, reporting, out, "Presentation for " + audience + " revealing " + reveal);
    }
  }

  @Command(
      name = "status-list",
      mixinStandardHelpOptions = true,
      description = "Sign an issuer's Token Status List with the given indices revoked.")
  static final class StatusList implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Option(names = "--issuer-key", required = true)
    Path issuerKey;

    @Option(names = "--status-url", required = true)
    String statusUrl;

    @Option(
        names = "--size",
        defaultValue = "1024",
        description = "Capacity (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--revoke", split = ",", description = "Indices to mark revoked.")
    List<Integer> revoked = List.of();

    @Option(
        names = "--hours",
        defaultValue = "24",
        description = "Validity (default: ${DEFAULT-VALUE}).")
    int hours;

    @Option(names = "--out", required = true)
    Path out;

    @Override
    public Integer call() throws IOException {
      StatusBits bits = StatusBits.allValid(1, size);
      for (int i : revoked) {
        bits = bits.with(i, StatusBits.INVALID);
      }
      String jwt =
          StatusListToken.sign(
              Jwks.read(issuerKey, "--issuer-key"),
              statusUrl,
              bits,
              Instant.now(),
              Duration.ofHours(hours));
      Files.writeString(out, jwt + "\n");
      return written(spec, reporting, out, "Status list with " + revoked.size() + " revoked");
    }
  }
}

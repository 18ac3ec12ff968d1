package org.salus.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.salus.core.error.SalusException;
import org.salus.core.ledger.note.VerifierKey;
import org.salus.core.ledger.proof.ProofFile;
import org.salus.core.ledger.proof.TrustPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code salus receipt verify FILE --log-key NODE=VKEY ...}: checks a study's receipt offline. */
@Command(
    name = "receipt",
    mixinStandardHelpOptions = true,
    description = "Privacy receipts of studies run with differential privacy.",
    subcommands = {ReceiptCommand.Verify.class})
final class ReceiptCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** {@code salus receipt verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check a receipt offline: every node's proofs against the log key you give for it,",
        "the entries name the study, and the stated ρ, ξ and ε follow from the charges."
      })
  static final class Verify implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Parameters(index = "0", paramLabel = "FILE", description = "The receipt (JSON).")
    Path file;

    @Option(
        names = "--log-key",
        paramLabel = "NODE=VKEY",
        description = "A node's log verifier key (salus ledger key); repeat for every node.")
    List<String> logKeys = new ArrayList<>();

    @Option(
        names = "--trust-list",
        paramLabel = "FILE",
        description = {
          "A signed trust list (JWS), verified with --operator-key: each node's log key is the",
          "listed key of the node whose origin its checkpoints name; the other listed nodes are",
          "its witnesses."
        })
    Optional<Path> trustList = Optional.empty();

    @Option(
        names = "--operator-key",
        paramLabel = "FILE",
        description = "The federation operator's public key (JWK) that signs the trust list.")
    Optional<Path> operatorKey = Optional.empty();

    @Option(
        names = "--quorum",
        defaultValue = "0",
        description =
            "Witness cosignatures required on each checkpoint (default: ${DEFAULT-VALUE}).")
    int quorum;

    @Option(
        names = "--accept-zero-noise",
        description = "Accept a receipt of the zero-noise test mode (refused otherwise).")
    boolean acceptZeroNoise;

    record Result(
        String study,
        double rho,
        double epsilon,
        double delta,
        List<String> nodes,
        boolean zeroNoise) {}

    @Override
    public Integer call() {
      if (trustList.isPresent() == !logKeys.isEmpty()) {
        throw new SalusException(
            "option.invalid", "give either --log-key NODE=VKEY ... or --trust-list");
      }
      StudyReceipt receipt = StudyReceipt.read(file);
      List<String> nodes =
          trustList.isPresent() ? receipt.verify(this::listed) : receipt.verify(keys());
      if (receipt.zeroNoise()) {
        spec.commandLine().getErr().println("WARNING: " + StudyReceipt.ZERO_NOISE);
        if (!acceptZeroNoise) {
          throw new SalusException(
              "receipt.zero-noise",
              "the receipt is of a zero-noise test run; its results are not private"
                  + " (--accept-zero-noise to accept it in a test)");
        }
      }
      reporting.print(
          spec.commandLine().getOut(),
          new Result(
              receipt.study(),
              receipt.rho(),
              receipt.epsilon(),
              receipt.delta(),
              nodes,
              receipt.zeroNoise()),
          "receipt of study "
              + receipt.study()
              + " verified: ρ="
              + receipt.rho()
              + " (ε="
              + receipt.epsilon()
              + " at δ="
              + receipt.delta()
              + ") over nodes "
              + String.join(", ", nodes));
      return 0;
    }

    private Map<String, VerifierKey> keys() {
      Map<String, VerifierKey> keys = new HashMap<>();
      for (String k : logKeys) {
        int eq = k.indexOf('=');
        if (eq <= 0) {
          throw new SalusException("receipt.key.invalid", "--log-key wants NODE=VKEY, got " + k);
        }
        keys.put(k.substring(0, eq), VerifierKey.parse(k.substring(eq + 1)));
      }
      return keys;
    }

    /** The trust policy of a node part, from the listed node whose log its checkpoints name. */
    private TrustPolicy listed(StudyReceipt.NodePart part) {
      String origin = origin(part.proof());
      for (StudyReceipt.Entry e : part.charges()) {
        if (!origin(e.proof()).equals(origin)) {
          throw new SalusException(
              "receipt.invalid", "node " + part.node() + ": its proofs are of different logs");
        }
      }
      try {
        return LedgerTrust.policy(
            trustList.orElseThrow(),
            operatorKey.orElseThrow(
                () ->
                    new SalusException(
                        "option.invalid", "--trust-list needs --operator-key to verify it")),
            origin,
            List.of(),
            quorum);
      } catch (java.io.IOException e) {
        throw new SalusException(
            "receipt.trust-list.unreadable", "cannot read the trust list or operator key");
      }
    }

    private static String origin(String proof) {
      try {
        return ProofFile.parse(proof).checkpoint().checkpoint().origin();
      } catch (RuntimeException e) {
        throw new SalusException("receipt.invalid", "a proof in the receipt does not parse");
      }
    }
  }
}

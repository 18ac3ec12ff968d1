package org.salus.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.salus.core.error.SalusException;
import org.salus.core.ledger.note.VerifierKey;
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
        required = true,
        paramLabel = "NODE=VKEY",
        description = "A node's log verifier key (salus ledger key); repeat for every node.")
    List<String> logKeys;

    record Result(String study, double rho, double epsilon, double delta, List<String> nodes) {}

    @Override
    public Integer call() {
      Map<String, VerifierKey> keys = new HashMap<>();
      for (String k : logKeys) {
        int eq = k.indexOf('=');
        if (eq <= 0) {
          throw new SalusException("receipt.key.invalid", "--log-key wants NODE=VKEY, got " + k);
        }
        keys.put(k.substring(0, eq), VerifierKey.parse(k.substring(eq + 1)));
      }
      StudyReceipt receipt = StudyReceipt.read(file);
      List<String> nodes = receipt.verify(keys);
      reporting.print(
          spec.commandLine().getOut(),
          new Result(receipt.study(), receipt.rho(), receipt.epsilon(), receipt.delta(), nodes),
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
  }
}

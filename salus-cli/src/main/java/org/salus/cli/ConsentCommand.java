package org.salus.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code salus consent}: record patients' consents at a node and see what they decide. */
@Command(
    name = "consent",
    mixinStandardHelpOptions = true,
    description =
        "Record FHIR R4 Consents at a node, read them in plain terms, set the node's"
            + " defaults, and check a decision.",
    subcommands = {
      ConsentImportCommand.class,
      ConsentShowCommand.class,
      ConsentDefaultsCommand.class,
      ConsentCheckCommand.class
    })
final class ConsentCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}

package org.salus.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code salus}: the top-level command; lists the sub-commands. */
@Command(
    name = "salus",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Privacy-preserving collaboration on health data.",
    subcommands = {
      DemoCommand.class,
      GenerateCommand.class,
      NodeCommand.class,
      IngestCommand.class,
      ConsentCommand.class,
      LedgerCommand.class,
      BudgetCommand.class,
      ReceiptCommand.class,
      FederationCommand.class,
      CredentialCommand.class,
      StudyCommand.class,
      HubCommand.class,
      BenchCommand.class
    })
final class SalusCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}

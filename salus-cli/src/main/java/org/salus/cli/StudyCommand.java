package org.salus.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code salus study}: federated studies. */
@Command(
    name = "study",
    mixinStandardHelpOptions = true,
    description = "Federated studies: one question, many nodes, only sums leave a node.",
    subcommands = {
      StudyRunCommand.class,
      StudyHubCommands.Submit.class,
      StudyHubCommands.Status.class,
      StudyHubCommands.Results.class,
      StudyHubCommands.ListStudies.class,
      StudyHubCommands.Proposals.class,
      StudyHubCommands.Approve.class,
      StudyHubCommands.Reject.class
    })
final class StudyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}

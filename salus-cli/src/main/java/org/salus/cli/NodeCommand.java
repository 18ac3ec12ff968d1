package org.salus.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code salus node}: create and inspect a node (its keys, configuration and store). */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description =
        "Create and inspect a node (keys, configuration, database), join a federation, start it.",
    subcommands = {
      NodeInitCommand.class,
      NodeStatsCommand.class,
      NodeJoinCommand.class,
      NodeStartCommand.class
    })
final class NodeCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}

package org.salus.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code salus hub}: the federation's study hub. A hub is a federation member like a node (it is
 * admitted with {@code salus federation add-node} and joined with {@code salus node join}); it may
 * hold no patients. {@code salus node start --hub} runs the same hub inside a data-holding node.
 */
@Command(
    name = "hub",
    mixinStandardHelpOptions = true,
    description = "The study hub: takes researchers' studies, asks the nodes, runs approved ones.",
    subcommands = {HubCommand.Start.class})
final class HubCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** {@code salus hub start}: {@code salus node start --hub}. */
  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description =
          "Start the hub (with its node's routes) over mutual TLS; runs until interrupted.")
  static final class Start extends NodeStartCommand {
    @Override
    boolean servesHub() {
      return true;
    }
  }
}

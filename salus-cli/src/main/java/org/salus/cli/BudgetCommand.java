package org.salus.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.salus.store.study.NodeBudgets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code salus budget set|show --dir D}: the steward's privacy budgets of a node. */
@Command(
    name = "budget",
    mixinStandardHelpOptions = true,
    description = "A node's privacy budgets (zCDP ρ) per researcher, set by the steward.",
    subcommands = {BudgetCommand.Set.class, BudgetCommand.Show.class})
final class BudgetCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** {@code salus budget set --dir D --rho R [--researcher ID]}. */
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Set the default ρ limit, or one researcher's.")
  static final class Set implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", required = true, description = "The node directory.")
    Path dir;

    @Option(names = "--rho", required = true, description = "The limit ρ (zCDP).")
    double rho;

    @Option(names = "--researcher", description = "Only this researcher's limit.")
    String researcher;

    @Override
    public Integer call() {
      NodeBudgets.open(dir).setLimit(Optional.ofNullable(researcher), rho);
      spec.commandLine()
          .getOut()
          .println(
              (researcher == null ? "default" : "researcher " + researcher) + " limit ρ=" + rho);
      return 0;
    }
  }

  /** {@code salus budget show --dir D}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show the default limit and every researcher's limit and spending.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Option(names = "--dir", required = true, description = "The node directory.")
    Path dir;

    record Line(double limit, double spent) {}

    record Result(double defaultLimit, SortedMap<String, Line> researchers) {}

    @Override
    public Integer call() {
      NodeBudgets b = NodeBudgets.open(dir);
      SortedMap<String, Line> lines = new TreeMap<>();
      StringBuilder text = new StringBuilder("default limit ρ=" + b.defaultLimit() + "\n");
      for (String r : b.researchers()) {
        lines.put(r, new Line(b.limit(r), b.spent(r)));
        text.append(r)
            .append(": spent ρ=")
            .append(b.spent(r))
            .append(" of ")
            .append(b.limit(r))
            .append('\n');
      }
      reporting.print(
          spec.commandLine().getOut(), new Result(b.defaultLimit(), lines), text.toString());
      return 0;
    }
  }
}

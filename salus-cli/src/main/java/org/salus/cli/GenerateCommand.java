package org.salus.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.salus.synthea.SyntheaGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code salus generate}: a synthetic population with Synthea, one FHIR bundle per patient. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Write a synthetic population (Synthea) as FHIR R4 bundles, one per patient.")
final class GenerateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin Reporting reporting;

  @Option(names = "--patients", required = true, description = "How many living adults.")
  int patients;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--years",
      defaultValue = "5",
      description = "Years of history per patient (default: ${DEFAULT-VALUE}).")
  int years;

  @Option(names = "--out", required = true, description = "Folder for the bundles.")
  Path out;

  record Result(int patients, long seed, String out, List<String> files) {}

  @Override
  public Integer call() throws Exception {
    List<Path> files;
    try (Progress progress = Progress.start(reporting, "Synthea", patients)) {
      files = SyntheaGenerator.locate().generate(patients, seed, years, out, progress::stepTo);
    }
    List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
    reporting.print(
        spec.commandLine().getOut(),
        new Result(files.size(), seed, out.toString(), names),
        "Generated " + files.size() + " patients (seed " + seed + ") in " + out);
    return 0;
  }
}

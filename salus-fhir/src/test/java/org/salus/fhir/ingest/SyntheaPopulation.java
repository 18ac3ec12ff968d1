package org.salus.fhir.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.salus.synthea.SyntheaGenerator;

/**
 * A small Synthea population (seed 42, 4 patients), generated once and cached under {@code
 * target/test-population/seed-42-n-4/} so reruns skip Synthea.
 */
final class SyntheaPopulation {

  static final Path DIR = Path.of("target", "test-population", "seed-42-n-4");

  private SyntheaPopulation() {}

  static synchronized List<Path> files() throws IOException, InterruptedException {
    if (!Files.isDirectory(DIR)) {
      Path partial = DIR.resolveSibling("seed-42-n-4.partial");
      if (Files.exists(partial)) {
        try (Stream<Path> walk = Files.walk(partial)) {
          for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      SyntheaGenerator.locate().generate(4, 42, 5, partial, done -> {});
      Files.move(partial, DIR);
    }
    try (Stream<Path> list = Files.list(DIR)) {
      return list.filter(p -> p.getFileName().toString().matches("patient-\\d+\\.json"))
          .sorted()
          .toList();
    }
  }
}

package org.salus.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.salus.synthea.SyntheaGenerator;

/**
 * A small Synthea population (seed 42, 4 patients) generated once per build and cached under the
 * build's {@code target/test-population/}, so reruns and other test classes skip Synthea.
 */
final class TestPopulation {

  private TestPopulation() {}

  static synchronized List<Path> files() throws IOException, InterruptedException {
    Path dir =
        Path.of(System.getProperty("salus.home", ".."), "target", "test-population", "seed-42-n-4");
    if (!Files.isDirectory(dir)) {
      Path partial = dir.resolveSibling("seed-42-n-4.partial");
      deleteTree(partial);
      SyntheaGenerator.locate().generate(4, 42, 5, partial, done -> {});
      Files.move(partial, dir);
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().matches("patient-\\d+\\.json"))
          .sorted()
          .toList();
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

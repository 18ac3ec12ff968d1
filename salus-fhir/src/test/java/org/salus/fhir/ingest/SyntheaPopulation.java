package org.salus.fhir.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.salus.synthea.SyntheaGenerator;

/**
 * A small Synthea population (seed 42, 4 patients), generated once per build and cached under the
 * build's root {@code target/test-population/}, shared with the other modules' tests.
 */
final class SyntheaPopulation {

  private SyntheaPopulation() {}

  static synchronized List<Path> files() throws IOException, InterruptedException {
    Path cache = Path.of(System.getProperty("salus.home", ".."), "target", "test-population");
    return SyntheaGenerator.locate().cached(cache, 4, 42);
  }
}

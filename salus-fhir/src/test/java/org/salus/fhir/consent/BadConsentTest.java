package org.salus.fhir.consent;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

/**
 * Every file under {@code consent/bad/} is refused with an OperationOutcome naming the element
 * listed for it in {@code expected.tsv}; all disagreements are reported together.
 */
class BadConsentTest {

  private static final ConsentFhirReader READER = new ConsentFhirReader(FhirContext.forR4Cached());

  @Test
  void everyBadConsentIsRefusedNamingTheElement() throws IOException, URISyntaxException {
    Path dir = Path.of(BadConsentTest.class.getResource("/consent/bad").toURI());
    Map<String, String> expected = new TreeMap<>();
    for (String line : Files.readAllLines(dir.resolve("expected.tsv"), StandardCharsets.UTF_8)) {
      if (!line.startsWith("#") && !line.isBlank()) {
        String[] parts = line.split("\t", -1);
        expected.put(parts[0], parts[1]);
      }
    }
    List<String> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
    }
    assertThat(files)
        .hasSizeGreaterThanOrEqualTo(10)
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    List<String> failures = new ArrayList<>();
    for (String file : files) {
      String json = Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
      String want = expected.get(file);
      switch (READER.parse(json)) {
        case ConsentReadResult.Valid v -> failures.add(file + ": accepted");
        case ConsentReadResult.Invalid inv -> {
          List<String> named = expressions(inv.operationOutcome());
          if (!named.contains(want)) {
            failures.add(file + ": expected an issue at " + want + ", got " + named);
          }
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  private static List<String> expressions(OperationOutcome o) {
    List<String> out = new ArrayList<>();
    for (OperationOutcome.OperationOutcomeIssueComponent i : o.getIssue()) {
      assertThat(i.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
      assertThat(i.getDiagnostics()).isNotBlank();
      i.getExpression().forEach(e -> out.add(e.getValue()));
    }
    return out;
  }
}

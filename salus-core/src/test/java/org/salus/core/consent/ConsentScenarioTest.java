package org.salus.core.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.salus.core.record.Code;

/** Runs every row of {@code consent/scenarios.md} and reports all rows that disagree. */
class ConsentScenarioTest {

  private static final EmergencyAccessPolicy GLASS = EmergencyAccessPolicy.standard();

  @Test
  void everyScenarioDecidesAsTabled() throws IOException {
    List<String[]> rows = rows();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(50);
    List<String> failures = new ArrayList<>();
    for (String[] row : rows) {
      String outcome = run(row);
      String expected = row[10] + " by " + row[11];
      if (!outcome.equals(expected)) {
        failures.add(
            "#" + row[0] + " (" + row[12] + "): expected " + expected + ", got " + outcome);
      }
    }
    assertThat(failures).isEmpty();
  }

  private static String run(String[] row) {
    ConsentHistory history = Fixtures.consent(row[1]);
    PolicyDecisionPoint pdp = new PolicyDecisionPoint(Fixtures.node(row[2]));
    Requester requester = Fixtures.requester(row[3]);
    RequestContext context =
        RequestContext.of(
            requester,
            Purpose.valueOf(row[4]),
            ConsentAction.fromCode(row[5]).orElseThrow(),
            time(row[8]));
    if (!row[6].equals("-")) {
      context = context.forStudy(row[6]);
    }
    if (!row[9].equals("-")) {
      String[] glass = row[9].split("@", -1);
      Requester opener = glass[0].isEmpty() ? requester : Fixtures.requester(glass[0]);
      EmergencyOpening opening =
          GLASS.open(
              "bg-" + row[0], opener, Fixtures.PATIENT, "unconscious on arrival", time(glass[1]));
      context = context.withEmergency(opening.access());
    }
    AccessRequest request = new AccessRequest(context, record(row[7]));
    ConsentDecision d = pdp.decideAsOf(history, request);
    if (context.emergency().isEmpty()
        && d.permitted()
            != ReferenceEvaluator.permits(history.asOf(context.time()), pdp.defaults(), request)) {
      return "disagreement with the reference evaluator";
    }
    String type =
        switch (d) {
          case ConsentDecision.Permit p -> "permit";
          case ConsentDecision.Deny x -> "deny";
        };
    String by =
        switch (d.basis()) {
          case DecisionBasis.ByProvision p -> abbreviate(p.path());
          case DecisionBasis.ByNodeDefault n -> "default";
          case DecisionBasis.ByEmergencyAccess e -> "glass";
        };
    return type + " by " + by;
  }

  private static String abbreviate(String path) {
    return path.replace("Consent.provision.provision[", "p[")
        .replace(".provision[", ".p[")
        .replace("Consent.provision", "p");
  }

  static Instant time(String spec) {
    String[] parts = spec.substring(1).split("\\+", -1);
    Instant t = Fixtures.day(Integer.parseInt(parts[0]));
    return parts.length == 1
        ? t
        : t.plus(Duration.ofHours(Integer.parseInt(parts[1].replace("h", ""))));
  }

  static RecordFacts record(String spec) {
    if (spec.equals("person")) {
      return RecordFacts.person();
    }
    Instant date = Instant.parse("2026-06-01T00:00:00Z");
    String rest = spec;
    int at = rest.indexOf('@');
    if (at >= 0) {
      date = Instant.parse(rest.substring(at + 1) + "-06-01T00:00:00Z");
      rest = rest.substring(0, at);
    }
    Set<Code> codes = new HashSet<>();
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      codes.add(new Code(Code.SNOMED, rest.substring(hash + 1)));
      rest = rest.substring(0, hash);
    }
    String[] parts = rest.split("\\+", -1);
    Set<SecurityLabel> labels = new HashSet<>();
    for (int i = 1; i < parts.length; i++) {
      labels.add(SecurityLabel.valueOf(parts[i]));
    }
    return new RecordFacts(
        Optional.of(DataClass.valueOf(parts[0])), codes, labels, Optional.of(date));
  }

  private static List<String[]> rows() throws IOException {
    String text;
    try (InputStream in = ConsentScenarioTest.class.getResourceAsStream("/consent/scenarios.md")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String[]> rows = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.matches("^\\| \\d+ \\|.*")) {
        String[] cells = line.substring(1, line.lastIndexOf('|')).split("\\|", -1);
        for (int i = 0; i < cells.length; i++) {
          cells[i] = cells[i].trim();
        }
        rows.add(cells);
      }
    }
    return rows;
  }
}

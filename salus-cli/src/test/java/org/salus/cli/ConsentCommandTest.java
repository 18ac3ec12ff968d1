package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import picocli.CommandLine;

/**
 * {@code salus consent} end to end: import, show, defaults and check on a node holding two ingested
 * patients (fixtures in {@code src/test/resources/consent/}). Runs once per store through the
 * subclasses.
 */
abstract class ConsentCommandTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String P1 = "Patient/p-1";
  static final String P2 = "Patient/p-2";

  @TempDir Path tmp;

  Path dir;

  /** Extra {@code salus node init} arguments choosing the store. */
  abstract List<String> storeArgs();

  /** Drops what the node keeps outside its directory. */
  abstract void dropStore(Node node);

  record Run(int exit, String out, String err) {
    JsonNode json() throws IOException {
      return JSON.readTree(out);
    }
  }

  static Run salus(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static String fixture(String name) throws URISyntaxException {
    return Path.of(ConsentCommandTest.class.getResource("/consent/" + name).toURI()).toString();
  }

  @BeforeEach
  void nodeWithTwoPatients() throws Exception {
    dir = tmp.resolve("node");
    List<String> init = new ArrayList<>(List.of("node", "init", "--dir", dir.toString()));
    init.addAll(storeArgs());
    Run created = salus(init.toArray(String[]::new));
    assertThat(created.exit()).as(created.err()).isZero();
    Run ingest = salus("ingest", "--dir", dir.toString(), fixture("patients.json"));
    assertThat(ingest.exit()).as(ingest.err()).isZero();
  }

  @AfterEach
  void dropNode() {
    if (Files.exists(dir.resolve("node.json"))) {
      try (Node node = NodeDirectory.open(dir)) {
        dropStore(node);
      }
    }
  }

  Run importing(String... files) throws URISyntaxException {
    List<String> args = new ArrayList<>(List.of("consent", "import", "--dir", dir.toString()));
    for (String f : files) {
      args.add(fixture(f));
    }
    args.add("--json");
    return salus(args.toArray(String[]::new));
  }

  JsonNode check(String patient, String... more) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of("consent", "check", "--dir", dir.toString(), "--patient", patient, "--json"));
    args.addAll(List.of(more));
    Run r = salus(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
    return r.json();
  }

  @Test
  void importShowThenCheck() throws Exception {
    Run imported = importing("permit-research.json");

    assertThat(imported.exit()).as(imported.err()).isZero();
    JsonNode file = imported.json().get("files").get(0);
    assertThat(file.get("status").asText()).isEqualTo("recorded");
    assertThat(file.get("version").asInt()).isEqualTo(1);
    String snapshot = file.get("snapshot").asText();
    assertThat(snapshot).startsWith("sha256:");

    Run show = salus("consent", "show", "--dir", dir.toString(), "--patient", P1, "--json");
    assertThat(show.exit()).as(show.err()).isZero();
    JsonNode shown = show.json();
    assertThat(shown.get("version").asInt()).isEqualTo(1);
    assertThat(shown.get("snapshot").asText()).isEqualTo(snapshot);
    assertThat(shown.get("narrative").toString())
        .contains("You allow use for healthcare research")
        .contains("You refuse any use of all your records about mental health");

    JsonNode decision = check(P1, "--purpose", "HRESCH", "--study", "S-HEART");
    assertThat(decision.get("decision").asText()).isEqualTo("permit");
    assertThat(decision.get("decidedBy").asText()).isEqualTo("provision");
    assertThat(decision.get("basis").asText())
        .isEqualTo("Consent.provision.provision[0] (purpose-HRESCH)");
    assertThat(decision.get("snapshot").asText()).isEqualTo(snapshot);

    Run text = salus("consent", "show", "--dir", dir.toString(), "--patient", P1);
    assertThat(text.out()).contains("version 1 of 1").contains(snapshot);
  }

  @Test
  void aConsentLandsOnThePersonKeyIngestGaveThePatient() throws Exception {
    assertThat(importing("permit-research.json").exit()).isZero();

    try (NodeConsents n = NodeConsents.open(dir)) {
      // p-1 has a medical record number: ingest derived its person key from that, not its id.
      String byMrn = n.node().pseudonymizer().personKey("urn:oid:1.2.208.176.1.2|MRN-0001");
      assertThat(n.personKey(P1)).isEqualTo(byMrn);
      assertThat(n.consents().history(byMrn).versions()).hasSize(1);
      assertThat(n.consents().history(n.node().pseudonymizer().personKey(P1)).versions()).isEmpty();
      // p-2 has none: its person key derives from Patient/p-2.
      assertThat(n.personKey(P2)).isEqualTo(n.node().pseudonymizer().personKey(P2));
    }
  }

  @Test
  void aRevocationDeniesFromNowOnButReplayBeforeItStillPermits() throws Exception {
    assertThat(importing("permit-research.json").exit()).isZero();
    Instant beforeRevoke = Instant.now();
    Thread.sleep(5); // the revocation must be recorded strictly after beforeRevoke
    Run revoke = importing("revoke-research.json");
    assertThat(revoke.exit()).as(revoke.err()).isZero();
    assertThat(revoke.json().get("files").get(0).get("version").asInt()).isEqualTo(2);

    JsonNode now = check(P1, "--purpose", "HRESCH");
    JsonNode then = check(P1, "--purpose", "HRESCH", "--as-of", beforeRevoke.toString());

    assertThat(now.get("decision").asText()).isEqualTo("deny");
    assertThat(now.get("version").asInt()).isEqualTo(2);
    assertThat(then.get("decision").asText()).isEqualTo("permit");
    assertThat(then.get("version").asInt()).isEqualTo(1);
    assertThat(then.get("snapshot").asText()).isNotEqualTo(now.get("snapshot").asText());

    Run shownThen =
        salus(
            "consent",
            "show",
            "--dir",
            dir.toString(),
            "--patient",
            P1,
            "--as-of",
            beforeRevoke.toString(),
            "--json");
    assertThat(shownThen.json().get("version").asInt()).isEqualTo(1);
    assertThat(shownThen.json().get("versions").asInt()).isEqualTo(2);
  }

  @Test
  void anInvalidConsentIsRefusedNamingTheElementAndNothingIsStored() throws Exception {
    Run r = importing("bad-reversed-period.json", "unknown-patient.json");

    assertThat(r.exit()).isEqualTo(1);
    JsonNode json = r.json();
    assertThat(json.get("recorded").asInt()).isZero();
    assertThat(json.get("refused").asInt()).isEqualTo(2);
    JsonNode bad = json.get("files").get(0);
    assertThat(bad.get("status").asText()).isEqualTo("refused");
    assertThat(bad.get("issues").get(0).get("expression").asText())
        .isEqualTo("Consent.provision.provision[0].period");
    JsonNode outcome = bad.get("operationOutcome");
    assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
    assertThat(outcome.get("issue").get(0).get("expression").get(0).asText())
        .isEqualTo("Consent.provision.provision[0].period");
    JsonNode unknown = json.get("files").get(1);
    assertThat(unknown.get("issues").get(0).get("expression").asText())
        .isEqualTo("Consent.patient");
    assertThat(unknown.get("issues").get(0).get("diagnostics").asText())
        .contains("consent.patient.unknown")
        .doesNotContain("nobody");

    Run show = salus("consent", "show", "--dir", dir.toString(), "--patient", P1, "--json");
    assertThat(show.json().get("versions").asInt()).isZero();
    assertThat(show.json().has("version")).isFalse();
  }

  @Test
  void nodeDefaultsDecideForAPatientWithoutConsent() throws Exception {
    JsonNode optIn = check(P2, "--purpose", "HRESCH");
    assertThat(optIn.get("decision").asText()).isEqualTo("deny");
    assertThat(optIn.get("basis").asText()).isEqualTo("node default OPT_IN for HRESCH");

    Run set =
        salus(
            "consent",
            "defaults",
            "--dir",
            dir.toString(),
            "--jurisdiction",
            "DK",
            "--set",
            "HRESCH=opt-out",
            "--json");
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.json().get("jurisdiction").asText()).isEqualTo("DK");
    assertThat(set.json().get("purposes").get("HRESCH").asText()).isEqualTo("opt-out");
    assertThat(set.json().get("purposes").get("TREAT").asText()).isEqualTo("opt-in");

    JsonNode optOut = check(P2, "--purpose", "HRESCH");
    assertThat(optOut.get("decision").asText()).isEqualTo("permit");
    assertThat(optOut.get("decidedBy").asText()).isEqualTo("node-default");
    assertThat(check(P2, "--purpose", "TREAT").get("decision").asText()).isEqualTo("deny");

    Run shown = salus("consent", "defaults", "--dir", dir.toString());
    assertThat(shown.out()).contains("Defaults for DK").containsPattern("HRESCH +opt-out");
  }

  @Test
  void badOptionsAreRefusedWithACode() {
    Run purpose =
        salus("consent", "check", "--dir", dir.toString(), "--patient", P1, "--purpose", "FUN");
    assertThat(purpose.exit()).isEqualTo(1);
    assertThat(purpose.err()).contains("consent.check.invalid");

    Run rule = salus("consent", "defaults", "--dir", dir.toString(), "--set", "HRESCH=maybe");
    assertThat(rule.exit()).isEqualTo(1);
    assertThat(rule.err()).contains("consent.defaults.invalid");

    Run patient = salus("consent", "show", "--dir", dir.toString(), "--patient", "Patient/nobody");
    assertThat(patient.exit()).isEqualTo(1);
    assertThat(patient.err()).contains("consent.patient.unknown").doesNotContain("nobody");
  }
}

package org.salus.cli;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.salus.core.consent.ConsentException;
import org.salus.core.consent.ConsentVersion;
import org.salus.fhir.consent.ConsentIssue;
import org.salus.fhir.consent.ConsentReadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code salus consent import}: records FHIR R4 Consent files, each as its patient's next version.
 * An invalid file is refused with its OperationOutcome and nothing of it is stored; the others are
 * still recorded. Exit 1 when any file was refused.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Record FHIR R4 Consent resources (JSON), each as the next version of its patient's consent.",
      "An invalid file is refused with the issues naming each element; nothing of it is stored."
    })
final class ConsentImportCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;
  @Mixin Reporting reporting;

  @Option(names = "--dir", required = true, description = "The node's directory.")
  Path dir;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Consent JSON files.")
  List<Path> files;

  /** One file's outcome: recorded (version, snapshot) or refused (issues, OperationOutcome). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record FileResult(
      String file,
      String status,
      String patient,
      Integer version,
      String snapshot,
      List<Issue> issues,
      JsonNode operationOutcome) {}

  /** An issue: the FHIR issue type code, the element, what is wrong. */
  record Issue(String code, String expression, String diagnostics) {}

  record Result(int recorded, int refused, List<FileResult> files) {}

  @Override
  public Integer call() throws IOException {
    List<FileResult> results = new ArrayList<>();
    try (NodeConsents node = NodeConsents.open(dir)) {
      for (Path f : files) {
        results.add(importOne(node, f));
      }
    }
    int refused = (int) results.stream().filter(r -> r.status().equals("refused")).count();
    Result result = new Result(results.size() - refused, refused, results);
    reporting.print(spec.commandLine().getOut(), result, text(result));
    return refused == 0 ? 0 : ErrorHandler.REFUSED;
  }

  private FileResult importOne(NodeConsents node, Path file) throws IOException {
    String json = Files.readString(file, StandardCharsets.UTF_8);
    return switch (node.reader().parse(json)) {
      case ConsentReadResult.Invalid invalid ->
          refused(file, invalid.issues(), invalid.operationOutcome());
      case ConsentReadResult.Valid valid -> record(node, file, json, valid.patientReference());
    };
  }

  private FileResult record(NodeConsents node, Path file, String json, String patient)
      throws IOException {
    try {
      ConsentVersion v = node.consents().append(node.personKey(patient), json, Instant.now());
      return new FileResult(
          file.toString(), "recorded", patient, v.version(), v.hash().toString(), null, null);
    } catch (ConsentException e) {
      // The patient is unknown, or the history refuses the version: refused, nothing stored.
      String element = e.code().startsWith("consent.patient.") ? "Consent.patient" : "Consent";
      ConsentIssue issue =
          new ConsentIssue(OperationOutcome.IssueType.PROCESSING, element, e.describe());
      return refused(
          file, List.of(issue), new ConsentReadResult.Invalid(List.of(issue)).operationOutcome());
    }
  }

  private FileResult refused(Path file, List<ConsentIssue> issues, OperationOutcome outcome)
      throws IOException {
    List<Issue> list =
        issues.stream()
            .map(i -> new Issue(i.type().toCode(), i.expression(), i.message()))
            .toList();
    String fhir = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(outcome);
    return new FileResult(file.toString(), "refused", null, null, null, list, JSON.readTree(fhir));
  }

  static String text(Result r) {
    StringBuilder sb = new StringBuilder();
    for (FileResult f : r.files()) {
      if (f.status().equals("recorded")) {
        sb.append(
            f.file()
                + ": recorded "
                + f.patient()
                + " version "
                + f.version()
                + " ("
                + f.snapshot()
                + ")\n");
      } else {
        sb.append(f.file()).append(": refused\n");
        for (Issue i : f.issues()) {
          sb.append("  ").append(i.expression()).append(": ").append(i.diagnostics()).append('\n');
        }
      }
    }
    return sb.append(r.recorded() + " recorded, " + r.refused() + " refused\n").toString();
  }
}

package org.salus.cli;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.salus.core.consent.DataClass;
import org.salus.server.login.Principal;
import org.salus.server.records.RecordsPort.Reply;

/**
 * {@code GET /fhir/Patient/{id}/$summary}: an International Patient Summary-shaped document Bundle
 * (HL7 IPS, hl7.org/fhir/uv/ips): a Composition (LOINC 60591-5) with the four sections allergies,
 * medications, problems and results, each holding only the stored originals the clinician may see
 * under the same gate as the searches ({@link ClinicianSearch#open}). A section with nothing
 * visible is empty, with the same narrative whether the patient has nothing or the consent hides
 * it, and the Bundle counts nothing, so hidden records leave no trace. The document holds its
 * subject as a Patient with the id only (demographics is a class of its own), so the Composition's
 * subject resolves inside the Bundle as R4 requires of documents.
 */
final class PatientSummary {

  private static final String LOINC = "http://loinc.org";

  /** The IPS sections this node fills, in document order, with their LOINC section codes. */
  private static final List<Section> SECTIONS =
      List.of(
          new Section(DataClass.ALLERGIES, "AllergyIntolerance", "48765-2", "Allergies"),
          new Section(DataClass.MEDICATIONS, "MedicationStatement", "10160-0", "Medications"),
          new Section(DataClass.PROBLEMS, "Condition", "11450-4", "Problems"),
          new Section(DataClass.RESULTS, "Observation", "30954-2", "Results"));

  private record Section(DataClass dataClass, String searchType, String loinc, String title) {}

  private final ClinicianSearch search;
  private final AccessLedger ledger;

  PatientSummary(ClinicianSearch search, AccessLedger ledger) {
    this.search = search;
    this.ledger = ledger;
  }

  Reply summary(Principal p, String patientId) {
    return switch (search.open(p, patientId, Map.of(), Optional.empty())) {
      case ClinicianSearch.Gate.Refused r -> r.reply();
      case ClinicianSearch.Gate.Open o -> {
        String ref = patientId.startsWith("Patient/") ? patientId : "Patient/" + patientId;
        Bundle document = document(o, ref);
        o.personKey()
            .ifPresent(
                key ->
                    ledger.summary(
                        p,
                        key,
                        o.purpose(),
                        SECTIONS.stream().map(Section::dataClass).toList(),
                        o.at()));
        yield new Reply(
            200,
            NodeRecords.FHIR_JSON,
            FhirContext.forR4Cached().newJsonParser().encodeResourceToString(document));
      }
    };
  }

  /**
   * An entry's fullUrl, absolute as R4 requires: {@code urn:uuid:<id>} when the id is a UUID (as
   * ingested Synthea and written-back resources are, so the originals' own {@code urn:uuid}
   * references to the patient resolve), else a name-based UUID of {@code type/id}.
   */
  static String fullUrl(String type, String id) {
    try {
      return "urn:uuid:" + UUID.fromString(id).toString();
    } catch (IllegalArgumentException e) {
      return "urn:uuid:"
          + UUID.nameUUIDFromBytes((type + "/" + id).getBytes(StandardCharsets.UTF_8));
    }
  }

  private Bundle document(ClinicianSearch.Gate.Open o, String ref) {
    Instant at = o.at();
    Bundle bundle = new Bundle();
    bundle.setType(Bundle.BundleType.DOCUMENT);
    bundle.setIdentifier(
        new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID()));
    bundle.setTimestamp(Date.from(at));
    Composition composition = new Composition();
    composition.setId(UUID.randomUUID().toString());
    composition.setStatus(Composition.CompositionStatus.FINAL);
    composition.setType(
        new CodeableConcept(new Coding(LOINC, "60591-5", "Patient summary Document")));
    String subjectUrl = fullUrl("Patient", ref.substring("Patient/".length()));
    composition.setSubject(new Reference(subjectUrl));
    composition.setDate(Date.from(at));
    composition.addAuthor().setDisplay("Salus node");
    composition.setTitle("Patient Summary");
    bundle
        .addEntry()
        .setFullUrl("urn:uuid:" + composition.getIdElement().getIdPart())
        .setResource(composition);
    // A document holds its subject (FHIR R4 Bundle, document rules): a Patient with the id asked
    // for and nothing else, the same whether the node holds the patient or not.
    bundle
        .addEntry()
        .setFullUrl(subjectUrl)
        .setResource(new Patient().setId(ref.substring("Patient/".length())));
    IParser parser = FhirContext.forR4Cached().newJsonParser();
    for (Section s : SECTIONS) {
      Composition.SectionComponent section = composition.addSection();
      section.setTitle(s.title());
      section.setCode(new CodeableConcept(new Coding(LOINC, s.loinc(), s.title())));
      List<byte[]> kept =
          o.personKey().map(key -> search.kept(o, key, s.searchType())).orElse(List.of());
      for (byte[] doc : kept) {
        Resource r = (Resource) parser.parseResource(new String(doc, StandardCharsets.UTF_8));
        String url = fullUrl(r.fhirType(), r.getIdElement().getIdPart());
        bundle.addEntry().setFullUrl(url).setResource(r);
        section.addEntry(new Reference(url));
      }
      Narrative text = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
      text.setDivAsString(
          "<div xmlns=\"http://www.w3.org/1999/xhtml\">"
              + s.title()
              + ": the entries this requester may see</div>");
      section.setText(text);
    }
    return bundle;
  }
}

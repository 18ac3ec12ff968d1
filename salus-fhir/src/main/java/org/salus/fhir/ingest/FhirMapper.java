package org.salus.fhir.ingest;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;
import org.salus.core.record.Code;
import org.salus.core.record.ConditionOccurrence;
import org.salus.core.record.Death;
import org.salus.core.record.DrugExposure;
import org.salus.core.record.IngestBatch;
import org.salus.core.record.Person;
import org.salus.core.record.ProcedureOccurrence;
import org.salus.core.record.Sex;
import org.salus.core.record.SourceDocument;
import org.salus.core.record.VisitOccurrence;

/** Maps FHIR R4 resources to analytic records and source documents; see docs/ingest.md. */
final class FhirMapper {

  private final IngestContext context;
  private final java.util.Map<String, Medication> medications = new java.util.HashMap<>();
  private final FhirReferences refs;
  private final BatchBuilder batch;
  private final ObservationMapping observations;

  private FhirMapper(IngestContext context, List<FhirEntry> entries) {
    this.context = context;
    for (FhirEntry e : entries) {
      if (e.resource() instanceof Medication m) {
        medications.put(e.key(), m);
      }
    }
    this.refs = new FhirReferences(context, entries);
    this.batch = new BatchBuilder(context.pseudonymizer());
    this.observations = new ObservationMapping(refs, batch);
  }

  static IngestBatch map(IngestContext context, List<FhirEntry> entries) {
    FhirMapper mapper = new FhirMapper(context, entries);
    for (FhirEntry e : entries) {
      mapper.entry(e);
    }
    return mapper.batch.build();
  }

  private void entry(FhirEntry e) {
    batch.count(e.type());
    String recordKey = context.pseudonymizer().recordKey(e.key());
    Optional<String> person =
        switch (e.resource()) {
          case Patient p -> Optional.of(patient(p, e, recordKey));
          case Encounter r -> Optional.of(encounter(r, e, recordKey));
          case Condition r -> Optional.of(condition(r, e, recordKey));
          case Procedure r -> Optional.of(procedure(r, e, recordKey));
          case org.hl7.fhir.r4.model.Observation r ->
              Optional.of(observations.map(r, e, recordKey));
          case MedicationRequest r ->
              Optional.of(
                  drug(
                      e,
                      recordKey,
                      r.getSubject(),
                      r.getEncounter(),
                      medication(r.getMedication(), e),
                      FhirDates.present(r.getAuthoredOnElement()).map(t -> t.toLocalDate()),
                      Optional.empty(),
                      "MedicationRequest.authoredOn"));
          case MedicationStatement r ->
              Optional.of(
                  drug(
                      e,
                      recordKey,
                      r.getSubject(),
                      r.getContext(),
                      medication(r.getMedication(), e),
                      FhirDates.start(r.getEffective())
                          .or(() -> FhirDates.present(r.getDateAssertedElement()))
                          .map(t -> t.toLocalDate()),
                      FhirDates.end(r.getEffective()).map(t -> t.toLocalDate()),
                      "MedicationStatement.effective[x]"));
          case MedicationAdministration r ->
              Optional.of(
                  drug(
                      e,
                      recordKey,
                      r.getSubject(),
                      r.getContext(),
                      medication(r.getMedication(), e),
                      FhirDates.start(r.getEffective()).map(t -> t.toLocalDate()),
                      FhirDates.end(r.getEffective()).map(t -> t.toLocalDate()),
                      "MedicationAdministration.effective[x]"));
          case Immunization r ->
              Optional.of(
                  drug(
                      e,
                      recordKey,
                      r.getPatient(),
                      r.getEncounter(),
                      code(r.getVaccineCode(), e, "Immunization.vaccineCode"),
                      FhirDates.start(r.getOccurrence()).map(t -> t.toLocalDate()),
                      Optional.empty(),
                      "Immunization.occurrence[x]"));
          default -> owner(e.resource(), e);
        };
    person.ifPresent(p -> batch.source(new SourceDocument(e.type(), recordKey, p, e.json())));
  }

  private String patient(Patient p, FhirEntry e, String recordKey) {
    String personKey = refs.personKeyOfPatient(e.key());
    if (!p.hasBirthDate()) {
      throw e.where().error("ingest.field.missing", "Patient.birthDate is missing");
    }
    LocalDate birth = FhirDates.date(p.getBirthDateElement());
    Sex sex = p.hasGender() ? Sex.fromFhir(p.getGender().toCode()) : Sex.UNKNOWN;
    batch.add(
        new Person(
            recordKey,
            personKey,
            sex,
            context.birthPrecision().truncate(birth),
            context.birthPrecision()));
    if (p.hasDeceasedDateTimeType()) {
      batch.add(new Death(recordKey, personKey, FhirDates.date(p.getDeceasedDateTimeType())));
    }
    return personKey;
  }

  private String encounter(Encounter r, FhirEntry e, String recordKey) {
    String person = refs.person(r.getSubject(), e.where(), "Encounter.subject");
    if (!r.getPeriod().hasStart()) {
      throw e.where().error("ingest.field.missing", "Encounter.period.start is missing");
    }
    String visitClass = r.getClass_().hasCode() ? r.getClass_().getCode() : "UNK";
    Optional<Code> type =
        r.getType().stream().map(FhirMapper::firstCode).flatMap(Optional::stream).findFirst();
    batch.add(
        new VisitOccurrence(
            recordKey,
            person,
            visitClass,
            type,
            FhirDates.dateTime(r.getPeriod().getStartElement()),
            FhirDates.present(r.getPeriod().getEndElement())));
    return person;
  }

  private String condition(Condition r, FhirEntry e, String recordKey) {
    String person = refs.person(r.getSubject(), e.where(), "Condition.subject");
    LocalDate start =
        FhirDates.start(r.getOnset())
            .or(() -> FhirDates.present(r.getRecordedDateElement()))
            .orElseThrow(
                () ->
                    e.where()
                        .error(
                            "ingest.field.missing",
                            "Condition.onset[x] and recordedDate are missing"))
            .toLocalDate();
    batch.add(
        new ConditionOccurrence(
            recordKey,
            person,
            refs.visit(r.getEncounter(), e.where(), "Condition.encounter"),
            code(r.getCode(), e, "Condition.code"),
            start,
            FhirDates.start(r.getAbatement()).map(t -> t.toLocalDate())));
    return person;
  }

  private String procedure(Procedure r, FhirEntry e, String recordKey) {
    String person = refs.person(r.getSubject(), e.where(), "Procedure.subject");
    LocalDate date =
        FhirDates.start(r.getPerformed())
            .orElseThrow(
                () -> e.where().error("ingest.field.missing", "Procedure.performed[x] is missing"))
            .toLocalDate();
    batch.add(
        new ProcedureOccurrence(
            recordKey,
            person,
            refs.visit(r.getEncounter(), e.where(), "Procedure.encounter"),
            code(r.getCode(), e, "Procedure.code"),
            date));
    return person;
  }

  private String drug(
      FhirEntry e,
      String recordKey,
      Reference subject,
      Reference encounter,
      Code code,
      Optional<LocalDate> start,
      Optional<LocalDate> end,
      String dateElement) {
    String person =
        refs.person(
            subject,
            e.where(),
            e.type() + (e.type().equals("Immunization") ? ".patient" : ".subject"));
    LocalDate startDate =
        start.orElseThrow(
            () -> e.where().error("ingest.field.missing", dateElement + " is missing"));
    batch.add(
        new DrugExposure(
            recordKey,
            person,
            refs.visit(encounter, e.where(), e.type() + ".encounter"),
            code,
            startDate,
            end));
    return person;
  }

  /** The drug code: a codeable concept, or the code of a Medication resource in the file. */
  private Code medication(Type medication, FhirEntry e) {
    if (medication instanceof CodeableConcept cc) {
      return code(cc, e, e.type() + ".medicationCodeableConcept");
    }
    if (medication instanceof Reference ref && ref.hasReference()) {
      String key = refs.target(ref, e.where(), e.type() + ".medicationReference");
      Medication m = medications.get(key);
      if (m != null) {
        return code(m.getCode(), e, e.type() + ".medicationReference -> Medication.code");
      }
      throw e.where()
          .error(
              "ingest.bundle.invalid-reference",
              e.type() + ".medicationReference refers to " + key + ", not in the file");
    }
    throw e.where().error("ingest.field.missing", e.type() + ".medication[x] is missing");
  }

  static Code code(CodeableConcept cc, FhirEntry e, String element) {
    return firstCode(cc)
        .orElseThrow(
            () ->
                e.where()
                    .error(
                        "ingest.field.missing", element + " has no coding with system and code"));
  }

  /** The first coding that has both a system and a code. */
  static Optional<Code> firstCode(CodeableConcept cc) {
    if (cc == null) {
      return Optional.empty();
    }
    for (Coding c : cc.getCoding()) {
      if (c.hasSystem() && c.hasCode() && !c.getCode().isBlank()) {
        return Optional.of(new Code(c.getSystem(), c.getCode()));
      }
    }
    return Optional.empty();
  }

  /**
   * A resource type without an analytic table belongs to the patient its {@code subject}, {@code
   * patient} or {@code beneficiary} refers to, if any; only such resources are kept as source
   * documents.
   */
  private Optional<String> owner(Resource r, FhirEntry e) {
    for (String name : List.of("subject", "patient", "beneficiary")) {
      Property property = r.getNamedProperty(name);
      if (property == null || !property.hasValues()) {
        continue;
      }
      for (Base value : property.getValues()) {
        if (value instanceof Reference ref && ref.hasReference()) {
          String key = refs.target(ref, e.where(), e.type() + "." + name);
          if (key.startsWith("Patient/")) {
            return Optional.of(refs.person(ref, e.where(), e.type() + "." + name));
          }
        }
      }
    }
    return Optional.empty();
  }
}

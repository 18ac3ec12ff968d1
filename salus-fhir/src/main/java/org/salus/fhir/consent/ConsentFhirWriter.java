package org.salus.fhir.consent;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.salus.core.consent.ActorMatcher;
import org.salus.core.consent.ConsentAction;
import org.salus.core.consent.ConsentVersion;
import org.salus.core.consent.DataClass;
import org.salus.core.consent.InstitutionKind;
import org.salus.core.consent.Interval;
import org.salus.core.consent.Provision;
import org.salus.core.consent.Purpose;
import org.salus.core.consent.SecurityLabel;
import org.salus.core.record.Code;

/**
 * Writes a consent version as a FHIR R4 Consent: status active, scope patient-privacy, category
 * LOINC 59284-0, the version in {@code meta.versionId}, the snapshot hash as an identifier, and the
 * provision tree. Sets are written sorted, so the output is stable.
 */
public final class ConsentFhirWriter {

  private ConsentFhirWriter() {}

  public static Consent toFhir(ConsentVersion v, String patientReference) {
    Consent c = new Consent();
    c.getMeta().setVersionId(Integer.toString(v.version()));
    c.addIdentifier(
        new Identifier().setSystem(ConsentFhir.SNAPSHOT_SYSTEM).setValue(v.hash().toString()));
    c.setStatus(Consent.ConsentState.ACTIVE);
    c.setScope(
        new CodeableConcept(
            new Coding(ConsentFhir.SCOPE_SYSTEM, "patient-privacy", "Privacy Consent")));
    c.addCategory(
        new CodeableConcept(
            new Coding(ConsentFhir.LOINC, ConsentFhir.PATIENT_CONSENT, "Patient Consent")));
    c.setPatient(new Reference(patientReference));
    c.setDateTimeElement(dateTime(v.recordedAt()));
    c.setProvision(provision(v.root()));
    return c;
  }

  static ProvisionComponent provision(Provision p) {
    ProvisionComponent f = new ProvisionComponent();
    p.id().ifPresent(f::setId);
    p.type()
        .ifPresent(
            t ->
                f.setType(
                    switch (t) {
                      case PERMIT -> Consent.ConsentProvisionType.PERMIT;
                      case DENY -> Consent.ConsentProvisionType.DENY;
                    }));
    p.period().ifPresent(i -> f.setPeriod(period(i)));
    for (ActorMatcher a : p.actors()) {
      actor(f.addActor(), a);
    }
    p.actions().stream()
        .sorted()
        .forEach(
            a ->
                f.addAction(new CodeableConcept(new Coding(ConsentAction.SYSTEM, a.code(), null))));
    p.securityLabels().stream()
        .sorted()
        .forEach(l -> f.addSecurityLabel(new Coding(SecurityLabel.SYSTEM, l.code(), null)));
    p.purposes().stream()
        .sorted()
        .forEach(x -> f.addPurpose(new Coding(Purpose.SYSTEM, x.code(), x.display())));
    p.classes().stream()
        .sorted()
        .forEach(x -> f.addClass_(new Coding(DataClass.SYSTEM, x.code(), x.display())));
    p.codes().stream()
        .sorted(Comparator.comparing(Code::system).thenComparing(Code::code))
        .forEach(x -> f.addCode(new CodeableConcept(new Coding(x.system(), x.code(), null))));
    p.dataPeriod().ifPresent(i -> f.setDataPeriod(period(i)));
    p.institutionKinds().stream()
        .sorted()
        .forEach(
            k ->
                f.addExtension(
                    ConsentFhir.INSTITUTION_KIND_EXTENSION,
                    new Coding(InstitutionKind.SYSTEM, k.code(), null)));
    p.studies().stream()
        .sorted()
        .forEach(s -> f.addExtension(ConsentFhir.STUDY_EXTENSION, new StringType(s)));
    for (Provision child : p.provisions()) {
      f.addProvision(provision(child));
    }
    return f;
  }

  private static void actor(Consent.provisionActorComponent f, ActorMatcher a) {
    switch (a) {
      case ActorMatcher.ByReference r -> {
        f.setRole(
            new CodeableConcept(
                new Coding(org.salus.core.consent.Role.SYSTEM, r.role().code(), null)));
        f.setReference(new Reference(r.reference()));
      }
      case ActorMatcher.ByLicence l -> {
        f.setRole(
            new CodeableConcept(
                new Coding(
                    ConsentFhir.PARTICIPATION_TYPE,
                    ConsentFhir.RECIPIENT_ROLE,
                    "information recipient")));
        f.setReference(
            new Reference()
                .setIdentifier(
                    new Identifier()
                        .setSystem(l.licence().issuer())
                        .setValue(l.licence().number())));
      }
      case ActorMatcher.ByRoleAndCountry rc -> {
        f.setRole(
            new CodeableConcept(
                new Coding(org.salus.core.consent.Role.SYSTEM, rc.role().code(), null)));
        f.setReference(
            new Reference()
                .setIdentifier(
                    new Identifier().setSystem(ConsentFhir.COUNTRY_SYSTEM).setValue(rc.country())));
      }
    }
  }

  private static Period period(Interval i) {
    Period p = new Period();
    i.start().ifPresent(s -> p.setStartElement(dateTime(s)));
    i.end().ifPresent(e -> p.setEndElement(dateTime(e)));
    return p;
  }

  static DateTimeType dateTime(Instant t) {
    return new DateTimeType(Date.from(t), TemporalPrecisionEnum.MILLI, TimeZone.getTimeZone("UTC"));
  }
}

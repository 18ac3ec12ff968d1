package org.salus.fhir.ingest;

import java.time.LocalDateTime;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Type;
import org.salus.core.record.Code;
import org.salus.core.record.Measurement;

/**
 * FHIR Observation to rows. The observation's own value and each component's value give one row
 * each: a quantity with a number is a measurement; a coded value is a measurement when the
 * observation's category is {@code laboratory} or {@code vital-signs}, else an observation row; any
 * other value (string, boolean, period, ...) and no value give no row. Component rows have the
 * record key of {@code Observation/<id>/component/<index>}.
 */
final class ObservationMapping {

  private final FhirReferences refs;
  private final BatchBuilder batch;

  ObservationMapping(FhirReferences refs, BatchBuilder batch) {
    this.refs = refs;
    this.batch = batch;
  }

  String map(Observation r, FhirEntry e, String recordKey) {
    String person = refs.person(r.getSubject(), e.where(), "Observation.subject");
    Optional<String> visit = refs.visit(r.getEncounter(), e.where(), "Observation.encounter");
    LocalDateTime time =
        FhirDates.start(r.getEffective())
            .or(() -> FhirDates.present(r.getIssuedElement()))
            .orElseThrow(
                () ->
                    e.where()
                        .error(
                            "ingest.field.missing",
                            "Observation.effective[x] and issued are missing"));
    boolean measured = isMeasurementCategory(r);
    Code code = FhirMapper.code(r.getCode(), e, "Observation.code");
    row(recordKey, person, visit, code, time, r.getValue(), measured, e, "Observation.value[x]");
    for (int i = 0; i < r.getComponent().size(); i++) {
      ObservationComponentComponent c = r.getComponent().get(i);
      String element = "Observation.component[" + i + "]";
      Type value = c.getValue();
      if (value == null || !(value instanceof Quantity || value instanceof CodeableConcept)) {
        continue;
      }
      row(
          refs.recordKey(e.key() + "/component/" + i),
          person,
          visit,
          FhirMapper.code(c.getCode(), e, element + ".code"),
          time,
          value,
          measured,
          e,
          element + ".value[x]");
    }
    return person;
  }

  private void row(
      String recordKey,
      String person,
      Optional<String> visit,
      Code code,
      LocalDateTime time,
      Type value,
      boolean measured,
      FhirEntry e,
      String element) {
    if (value instanceof Quantity q) {
      if (!q.hasValue()) {
        throw e.where().error("ingest.field.missing", element + " is a Quantity without a value");
      }
      Optional<String> unit =
          q.hasCode() ? Optional.of(q.getCode()) : Optional.ofNullable(q.getUnit());
      batch.add(
          new Measurement(
              recordKey,
              person,
              visit,
              code,
              time,
              Optional.of(q.getValue().doubleValue()),
              unit,
              Optional.empty()));
    } else if (value instanceof CodeableConcept cc) {
      Optional<Code> valueCode = FhirMapper.firstCode(cc);
      if (valueCode.isEmpty()) {
        return; // text only: free text never reaches the analytic tables
      }
      if (measured) {
        batch.add(
            new Measurement(
                recordKey,
                person,
                visit,
                code,
                time,
                Optional.empty(),
                Optional.empty(),
                valueCode));
      } else {
        batch.add(
            new org.salus.core.record.Observation(recordKey, person, visit, code, time, valueCode));
      }
    }
  }

  private static boolean isMeasurementCategory(Observation r) {
    return r.getCategory().stream()
        .flatMap(c -> c.getCoding().stream())
        .anyMatch(c -> "laboratory".equals(c.getCode()) || "vital-signs".equals(c.getCode()));
  }
}

package org.salus.fhir.ingest;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.util.Terser;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.salus.core.record.Code;
import org.salus.core.record.IngestBatch;
import org.salus.core.record.Measurement;
import org.salus.core.record.Person;
import org.salus.core.record.Sex;
import org.salus.core.record.SourceDocument;
import org.salus.core.record.VisitOccurrence;

/**
 * HL7 v2 messages to records. ADT^A01/A04/A08: PID gives the person, PV1 the visit. ORU^R01: PID
 * names the person, each OBX of type NM gives a numeric measurement and of type CE/CWE a coded one;
 * text results (ST, TX, FT) never reach the analytic tables. See docs/ingest.md.
 */
final class Hl7Mapping {

  private static final Set<String> ADT_EVENTS = Set.of("A01", "A04", "A08");

  private final String file;
  private final IngestContext context;
  private final BatchBuilder batch;
  private final Map<String, String> personsInFile = new HashMap<>();
  private final Set<String> visitsInFile = new java.util.HashSet<>();
  private final Set<String> controlIds = new java.util.HashSet<>();

  Hl7Mapping(String file, IngestContext context) {
    this.file = file;
    this.context = context;
    this.batch = new BatchBuilder(context.pseudonymizer());
  }

  IngestBatch build() {
    return batch.build();
  }

  void message(Hl7Reader.RawMessage raw, List<Segment> segments) {
    Where where = Where.line(file, raw.firstLine());
    Segment msh = segments.get(0);
    String type = field(msh, 9, 1, where);
    String event = field(msh, 9, 2, where);
    String messageType = Where.safe(type + "^" + event);
    String controlId = field(msh, 10, 1, where);
    if (controlId.isEmpty()) {
      throw where.error("ingest.hl7.segment", "MSH-10 (message control id) is empty");
    }
    Where at = where.resource("message " + raw.number() + ", " + messageType);
    if (!controlIds.add(controlId)) {
      throw at.error("ingest.hl7.duplicate-control-id", "MSH-10 repeats an earlier message's");
    }
    boolean adt = type.equals("ADT") && ADT_EVENTS.contains(event);
    boolean oru = type.equals("ORU") && event.equals("R01");
    if (!adt && !oru) {
      throw at.error(
          "ingest.hl7.unsupported-event",
          "message type " + messageType + " is not supported (ADT^A01/A04/A08, ORU^R01)");
    }
    batch.count("HL7v2:" + messageType);
    Hl7Segments s = new Hl7Segments(segments, raw.firstLine(), file, at);
    LocalDateTime messageTime =
        s.time(msh, 7)
            .orElseThrow(
                () -> at.error("ingest.hl7.segment", "MSH-7 (message date/time) is empty"));
    Segment pid = s.required("PID");
    String personKey = person(s, pid, adt);
    if (adt) {
      s.first("PV1").ifPresent(pv1 -> visit(s, pv1, controlId, personKey, messageTime));
    } else {
      results(s, controlId, personKey, messageTime);
    }
    batch.source(
        new SourceDocument(
            "HL7v2:" + messageType,
            context.pseudonymizer().recordKey("HL7v2/" + controlId),
            personKey,
            raw.text().getBytes(StandardCharsets.UTF_8)));
  }

  private String person(Hl7Segments s, Segment pid, boolean adt) {
    String identifier = s.patientIdentifier(pid);
    String personKey = context.pseudonymizer().personKey(identifier);
    String recordKey = context.pseudonymizer().recordKey("HL7v2/PID/" + identifier);
    Optional<java.time.LocalDate> birth = s.date(pid, 7);
    if (birth.isEmpty()) {
      if (adt) {
        throw s.at(pid).error("ingest.hl7.segment", "PID-7 (date of birth) is empty");
      }
      if (!personsInFile.containsKey(recordKey)
          && context.knownRecords().personKeyOf(recordKey).isEmpty()) {
        throw s.at(pid)
            .error(
                "ingest.hl7.unknown-patient",
                "PID names a patient neither in the file nor in the store, and gives no PID-7");
      }
      return personKey;
    }
    String sexCode = s.value(pid, 8, 1);
    Sex sex;
    try {
      sex = sexCode.isEmpty() ? Sex.UNKNOWN : Sex.fromHl7v2(sexCode);
    } catch (IllegalArgumentException e) {
      throw s.at(pid)
          .error("ingest.value.invalid", "PID-8 (administrative sex) is not in table 0001");
    }
    if (personsInFile.put(recordKey, personKey) == null) {
      batch.add(
          new Person(
              recordKey,
              personKey,
              sex,
              context.birthPrecision().truncate(birth.get()),
              context.birthPrecision()));
    }
    return personKey;
  }

  private void visit(
      Hl7Segments s, Segment pv1, String controlId, String personKey, LocalDateTime messageTime) {
    String number = s.value(pv1, 19, 1);
    String recordKey =
        context
            .pseudonymizer()
            .recordKey(
                number.isEmpty()
                    ? "HL7v2/" + controlId + "/" + s.index(pv1)
                    : "HL7v2/PV1/" + number);
    if (!visitsInFile.add(recordKey)) {
      return; // a later A08 for the same visit number: the first message's visit stands
    }
    batch.add(
        new VisitOccurrence(
            recordKey,
            personKey,
            visitClass(s.value(pv1, 2, 1)),
            Optional.empty(),
            s.time(pv1, 44).orElse(messageTime),
            s.time(pv1, 45)));
  }

  private static String visitClass(String patientClass) {
    return switch (patientClass) {
      case "I" -> "IMP";
      case "O" -> "AMB";
      case "E" -> "EMER";
      case "P" -> "PRENC";
      case "" -> "UNK";
      default -> patientClass;
    };
  }

  private void results(
      Hl7Segments s, String controlId, String personKey, LocalDateTime messageTime) {
    Optional<LocalDateTime> orderTime = Optional.empty();
    for (Segment seg : s.all()) {
      switch (seg.getName()) {
        case "OBR" -> orderTime = s.time(seg, 7);
        case "OBX" -> observation(s, seg, controlId, personKey, orderTime.orElse(messageTime));
        default -> {}
      }
    }
  }

  private void observation(
      Hl7Segments s, Segment obx, String controlId, String personKey, LocalDateTime fallback) {
    String valueType = s.value(obx, 2, 1);
    Code code =
        s.code(obx, 3)
            .orElseThrow(
                () ->
                    s.at(obx)
                        .error("ingest.hl7.segment", "OBX-3 (observation identifier) is empty"));
    String recordKey = context.pseudonymizer().recordKey("HL7v2/" + controlId + "/" + s.index(obx));
    LocalDateTime time = s.time(obx, 14).orElse(fallback);
    switch (valueType) {
      case "NM" -> {
        String raw = s.value(obx, 5, 1).strip();
        double value;
        try {
          value = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
          throw s.at(obx).error("ingest.value.invalid", "OBX-5 of type NM is not a number");
        }
        if (!Double.isFinite(value) || !raw.matches("[+-]?[0-9]*\\.?[0-9]+")) {
          throw s.at(obx).error("ingest.value.invalid", "OBX-5 of type NM is not a number");
        }
        String unit = s.value(obx, 6, 1);
        batch.add(
            new Measurement(
                recordKey,
                personKey,
                Optional.empty(),
                code,
                time,
                Optional.of(value),
                unit.isEmpty() ? Optional.empty() : Optional.of(unit),
                Optional.empty()));
      }
      case "CE", "CWE" -> {
        Optional<Code> valueCode = s.code(obx, 5);
        valueCode.ifPresent(
            v ->
                batch.add(
                    new Measurement(
                        recordKey,
                        personKey,
                        Optional.empty(),
                        code,
                        time,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(v))));
      }
      default -> {
        // ST, TX, FT and other types: free text and the like never reach the analytic tables.
      }
    }
  }

  private static String field(Segment seg, int field, int component, Where where) {
    try {
      String v = Terser.get(seg, field, 0, component, 1);
      return v == null ? "" : v.strip();
    } catch (HL7Exception e) {
      throw where.error("ingest.hl7.segment", seg.getName() + "-" + field + " cannot be read", e);
    }
  }
}

package org.salus.fhir.ingest;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.util.Terser;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.salus.core.record.Code;

/**
 * Field access over one parsed HL7 v2 message's segments, with errors that name the segment, its
 * line and the field (for example {@code PID-7}) but never the value.
 */
final class Hl7Segments {

  /** HL7 v2 DTM: YYYY[MM[DD[HH[MM[SS[.S...]]]]]][+/-ZZZZ]; the offset is dropped. */
  private static final Pattern DTM =
      Pattern.compile(
          "(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(?:\\.\\d{1,4})?(?:[+-]\\d{4})?");

  private final List<Segment> segments;
  private final int firstLine;
  private final String file;
  private final Where message;

  Hl7Segments(List<Segment> segments, int firstLine, String file, Where message) {
    this.segments = segments;
    this.firstLine = firstLine;
    this.file = file;
    this.message = message;
  }

  List<Segment> all() {
    return segments;
  }

  Optional<Segment> first(String name) {
    return segments.stream().filter(s -> s.getName().equals(name)).findFirst();
  }

  Segment required(String name) {
    return first(name)
        .orElseThrow(() -> message.error("ingest.hl7.segment", name + " segment is missing"));
  }

  /** The segment's position in its message, MSH being 0. */
  int index(Segment seg) {
    return segments.indexOf(seg);
  }

  /** The file line a segment is on, assuming one segment per line as received. */
  Where at(Segment seg) {
    return new Where(file, "line " + (firstLine + index(seg))).resource(seg.getName() + " segment");
  }

  String value(Segment seg, int field, int component) {
    try {
      if (seg.getField(field).length == 0) {
        return "";
      }
      String v = Terser.get(seg, field, 0, component, 1);
      return v == null ? "" : v.strip();
    } catch (HL7Exception | RuntimeException e) {
      throw at(seg).error("ingest.hl7.segment", name(seg, field) + " cannot be read", e);
    }
  }

  Optional<LocalDateTime> time(Segment seg, int field) {
    String v = value(seg, field, 1);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = DTM.matcher(v);
    if (!m.matches()) {
      throw at(seg)
          .error("ingest.date.unparseable", name(seg, field) + " is not an HL7 v2 date/time");
    }
    try {
      return Optional.of(
          LocalDateTime.of(
              Integer.parseInt(m.group(1)),
              part(m.group(2), 1),
              part(m.group(3), 1),
              part(m.group(4), 0),
              part(m.group(5), 0),
              part(m.group(6), 0)));
    } catch (DateTimeException e) {
      throw at(seg).error("ingest.date.unparseable", name(seg, field) + " is not a valid date", e);
    }
  }

  Optional<LocalDate> date(Segment seg, int field) {
    return time(seg, field).map(LocalDateTime::toLocalDate);
  }

  /** A CE/CWE field as a code, with its coding system (component 3) mapped to a URI. */
  Optional<Code> code(Segment seg, int field) {
    String id = value(seg, field, 1);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Code(system(value(seg, field, 3)), id));
  }

  /** Table 0396 names to code system URIs; unknown names get a Salus URN. */
  static String system(String name) {
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "LN" -> Code.LOINC;
      case "SCT", "SNM", "SNM3", "SNOMED", "SNOMEDCT" -> Code.SNOMED;
      case "I10", "ICD10" -> Code.ICD10;
      case "I10C", "ICD10CM" -> Code.ICD10_CM;
      case "RXNORM", "RXN" -> Code.RXNORM;
      case "CVX" -> Code.CVX;
      case "" -> "urn:salus:hl7v2:local";
      default -> "urn:salus:hl7v2:" + name;
    };
  }

  /**
   * PID-3's patient identifier as {@code authority|id}: the repetition typed MR (CX-5) if any, else
   * the first; the authority is CX-4's first component, omitted when empty.
   */
  String patientIdentifier(Segment pid) {
    try {
      Type[] reps = pid.getField(3);
      int chosen = 0;
      for (int i = 0; i < reps.length; i++) {
        if ("MR".equals(text(pid, 3, i, 5))) {
          chosen = i;
          break;
        }
      }
      String id = reps.length == 0 ? "" : text(pid, 3, chosen, 1);
      if (id.isEmpty()) {
        throw at(pid).error("ingest.hl7.segment", "PID-3 (patient identifier list) is empty");
      }
      String authority = text(pid, 3, chosen, 4);
      return authority.isEmpty() ? id : authority + "|" + id;
    } catch (HL7Exception e) {
      throw at(pid).error("ingest.hl7.segment", "PID-3 cannot be read", e);
    }
  }

  private static String text(Segment seg, int field, int rep, int component) throws HL7Exception {
    String v = Terser.get(seg, field, rep, component, 1);
    return v == null ? "" : v.strip();
  }

  private static int part(String digits, int absent) {
    return digits == null ? absent : Integer.parseInt(digits);
  }

  private static String name(Segment seg, int field) {
    return seg.getName() + "-" + field;
  }
}

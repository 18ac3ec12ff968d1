package org.salus.fhir.ingest;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.ReadOnlyMessageIterator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.salus.core.record.IngestBatch;

/**
 * Reads a file of HL7 v2.x pipe-delimited messages (versions 2.3 to 2.5.1, parsed into the 2.5.1
 * model by HAPI HL7 v2). Messages are split at each line starting with {@code MSH|}; segments may
 * end with CR, LF or CRLF.
 */
final class Hl7Reader {

  private Hl7Reader() {}

  @SuppressWarnings("resource") // the context lives as long as its parser, one file
  private static PipeParser parser() {
    HapiContext context = new DefaultHapiContext();
    context.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
    context.setValidationContext(ValidationContextFactory.noValidation());
    return context.getPipeParser();
  }

  /** One message: its text with CR segment separators and the file line it starts on. */
  record RawMessage(int number, int firstLine, List<String> segments) {
    String text() {
      return String.join("\r", segments) + "\r";
    }
  }

  static IngestBatch read(String file, byte[] content, IngestContext context) {
    List<RawMessage> messages = split(new String(content, StandardCharsets.UTF_8), file);
    Hl7Mapping mapping = new Hl7Mapping(file, context);
    PipeParser parser = parser();
    for (RawMessage raw : messages) {
      mapping.message(raw, segments(parser, raw, file));
    }
    return mapping.build();
  }

  static List<RawMessage> split(String text, String file) {
    String[] lines = text.replace("\uFEFF", "").split("\r\n|\r|\n", -1);
    List<RawMessage> messages = new ArrayList<>();
    List<String> current = null;
    int start = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("MSH|")) {
        if (current != null) {
          messages.add(new RawMessage(messages.size() + 1, start, current));
        }
        current = new ArrayList<>();
        start = i + 1;
      } else if (current == null) {
        throw Where.line(file, i + 1)
            .error("ingest.hl7.missing-msh", "an HL7 v2 file must start with an MSH segment");
      }
      current.add(line);
    }
    if (current == null) {
      throw Where.file(file).error("ingest.file.empty", "no HL7 v2 messages");
    }
    messages.add(new RawMessage(messages.size() + 1, start, current));
    return messages;
  }

  /** Parses a message with HAPI and lists its segments in order. */
  private static List<Segment> segments(PipeParser parser, RawMessage raw, String file) {
    Where where = Where.line(file, raw.firstLine());
    for (int i = 0; i < raw.segments().size(); i++) {
      String s = raw.segments().get(i);
      if (s.length() < 3
          || !s.substring(0, 3).matches("[A-Z][A-Z0-9]{2}")
          || (s.length() > 3 && s.charAt(3) != '|')) {
        throw Where.line(file, raw.firstLine() + i)
            .error("ingest.hl7.segment", "not a segment: expected a 3-character segment id and |");
      }
    }
    Message message;
    try {
      message = parser.parse(raw.text());
    } catch (HL7Exception | RuntimeException e) {
      String at =
          e instanceof HL7Exception h && h.getLocation() != null
              ? " at " + h.getLocation().toString()
              : "";
      throw where.error(
          "ingest.hl7.parse", "message " + raw.number() + " could not be parsed" + at, e);
    }
    List<Segment> segments = new ArrayList<>();
    ReadOnlyMessageIterator it = new ReadOnlyMessageIterator(message);
    while (it.hasNext()) {
      Structure s = it.next();
      if (s instanceof Segment seg) {
        segments.add(seg);
      }
    }
    return segments;
  }
}

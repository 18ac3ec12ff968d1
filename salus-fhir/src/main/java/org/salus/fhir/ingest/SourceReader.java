package org.salus.fhir.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.salus.core.record.IngestBatch;

/**
 * Reads one source file into an {@link IngestBatch}. The format is found from the content and the
 * file name:
 *
 * <ul>
 *   <li>a file starting with {@code MSH|}: HL7 v2.x messages (ADT^A01/A04/A08, ORU^R01);
 *   <li>{@code .ndjson}: FHIR R4 bulk export, one resource per line;
 *   <li>a JSON object: a FHIR R4 Bundle (transaction, batch, collection or searchset);
 *   <li>{@code .csv}: rows mapped by the context's {@link CsvMapping}.
 * </ul>
 *
 * <p>A file either yields a whole batch or fails with an {@link IngestException} naming the file,
 * the entry or line, the resource and the element. See docs/ingest.md for the mapping rules.
 */
public final class SourceReader {

  private SourceReader() {}

  public static IngestBatch read(Path file, IngestContext context) {
    String name = file.getFileName().toString();
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw Where.file(name).error("ingest.file.unreadable", "cannot read the file", e);
    }
    return read(name, content, context);
  }

  /** Reads content that came with this file name (the name decides only the format). */
  public static IngestBatch read(String name, byte[] content, IngestContext context) {
    String lower = name.toLowerCase(Locale.ROOT);
    String head = head(content);
    if (head.isEmpty()) {
      throw Where.file(name).error("ingest.file.empty", "the file is empty");
    }
    if (head.startsWith("MSH|")) {
      return Hl7Reader.read(name, content, context);
    }
    if (lower.endsWith(".hl7") || lower.endsWith(".er7")) {
      throw Where.line(name, 1)
          .error("ingest.hl7.missing-msh", "an HL7 v2 file must start with an MSH segment");
    }
    if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) {
      return FhirMapper.map(context, FhirFileReader.readNdjson(name, content));
    }
    if (head.startsWith("{") || lower.endsWith(".json")) {
      return FhirMapper.map(context, FhirFileReader.readBundle(name, content));
    }
    if (lower.endsWith(".csv")) {
      CsvMapping mapping =
          context
              .csvMapping()
              .orElseThrow(
                  () ->
                      Where.file(name)
                          .error("ingest.csv.mapping-missing", "a CSV file needs a mapping file"));
      return CsvReader.read(name, content, mapping, context);
    }
    throw Where.file(name)
        .error(
            "ingest.format.unknown",
            "not a FHIR JSON bundle, NDJSON, HL7 v2 (MSH|) or CSV (.csv) file");
  }

  /** The first few characters after any byte-order mark and leading white space. */
  private static String head(byte[] content) {
    int n = Math.min(content.length, 64);
    String s = new String(content, 0, n, StandardCharsets.UTF_8);
    if (s.startsWith("\uFEFF")) {
      s = s.substring(1);
    }
    return s.strip();
  }
}

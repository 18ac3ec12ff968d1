package org.salus.fhir.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads FHIR R4 JSON into {@link FhirEntry}s: a Bundle (transaction, batch, collection, searchset)
 * or NDJSON (one resource per line). A streaming pass with Jackson checks the structure and cuts
 * out each resource's bytes exactly as received (malformed JSON is reported by line and column,
 * without echoing content); HAPI then parses each resource.
 */
final class FhirFileReader {

  private static final JsonFactory JSON = new JsonFactory();
  private static final Set<String> BUNDLE_TYPES =
      Set.of("transaction", "batch", "collection", "searchset");

  /** A resource's bytes within the file, with where it sits and its entry's fullUrl. */
  private record Slice(Where where, int start, int end, Optional<String> fullUrl) {}

  /** The top-level {@code resourceType} and {@code id} of a resource, without parsing it. */
  private record Head(Optional<String> type, boolean typeIsString, String id) {}

  private final String file;
  private final byte[] content;
  private final Set<String> keys = new HashSet<>();
  private final List<FhirEntry> entries = new ArrayList<>();

  private FhirFileReader(String file, byte[] content) {
    this.file = file;
    this.content = content;
  }

  static List<FhirEntry> readBundle(String file, byte[] content) {
    FhirFileReader reader = new FhirFileReader(file, content);
    for (Slice slice : reader.bundle()) {
      reader.add(slice);
    }
    return reader.entries;
  }

  static List<FhirEntry> readNdjson(String file, byte[] content) {
    FhirFileReader reader = new FhirFileReader(file, content);
    List<Slice> slices = new ArrayList<>();
    int line = 1;
    int start = 0;
    for (int i = 0; i <= content.length; i++) {
      if (i == content.length || content[i] == '\n') {
        int end = i > start && content[i - 1] == '\r' ? i - 1 : i;
        if (!new String(content, start, end - start, StandardCharsets.UTF_8).isBlank()) {
          slices.add(reader.line(Where.line(file, line), start, end));
        }
        line++;
        start = i + 1;
      }
    }
    if (slices.isEmpty()) {
      throw Where.file(file).error("ingest.file.empty", "the file holds no resources");
    }
    for (Slice slice : slices) {
      reader.add(slice);
    }
    return reader.entries;
  }

  /** Checks one NDJSON line is a single JSON object that is not a Bundle. */
  private Slice line(Where where, int start, int end) {
    try (JsonParser p = JSON.createParser(content, start, end - start)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw where.error("ingest.json.malformed", "expected a JSON object");
      }
      p.skipChildren();
      if (p.nextToken() != null) {
        throw where.error("ingest.json.malformed", "more than one JSON value on the line");
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String place = at == null ? "" : " at column " + at.getColumnNr();
      throw where.error("ingest.json.malformed", "malformed or truncated JSON" + place, e);
    } catch (IOException e) {
      throw where.error("ingest.json.malformed", "unreadable JSON", e);
    }
    if (head(where, start, end).type().filter("Bundle"::equals).isPresent()) {
      throw where.error("ingest.ndjson.bundle", "NDJSON holds one resource per line, not a Bundle");
    }
    return new Slice(where, start, end, Optional.empty());
  }

  /** The bundle's entries, after checking the bundle's own structure. */
  private List<Slice> bundle() {
    Where where = Where.file(file);
    List<Slice> slices = new ArrayList<>();
    String type = "";
    String bundleType = "";
    try (JsonParser p = JSON.createParser(content)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw where.error("ingest.file.empty", "no JSON content");
      }
      if (first != JsonToken.START_OBJECT) {
        throw where.error("ingest.json.malformed", "expected a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "resourceType" -> type = value == JsonToken.VALUE_STRING ? p.getText() : "";
          case "type" -> bundleType = value == JsonToken.VALUE_STRING ? p.getText() : "";
          case "entry" -> entries(p, value, slices);
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw where.error("ingest.json.malformed", "more than one JSON value in the file");
      }
    } catch (JsonProcessingException e) {
      throw malformed(where, e);
    } catch (IOException e) {
      throw where.error("ingest.json.malformed", "unreadable JSON", e);
    }
    checkBundle(where, type, bundleType, slices);
    return slices;
  }

  private void checkBundle(Where where, String type, String bundleType, List<Slice> slices) {
    if (!"Bundle".equals(type)) {
      if (type.isEmpty()) {
        throw where.error("ingest.resource.missing-type", "top-level object has no resourceType");
      }
      if (!FhirJson.isKnownResourceType(type)) {
        throw where.error(
            "ingest.resource.unknown-type",
            "resourceType " + Where.safe(type) + " is not a FHIR R4 type");
      }
      throw where.error(
          "ingest.bundle.not-a-bundle",
          "top-level resource is a " + type + ", expected a Bundle (or use .ndjson)");
    }
    if (!BUNDLE_TYPES.contains(bundleType)) {
      throw where.error(
          "ingest.bundle.unsupported-type",
          "Bundle.type must be transaction, batch, collection or searchset");
    }
    if (slices.isEmpty()) {
      throw where.error("ingest.file.empty", "the bundle has no entries");
    }
  }

  private void entries(JsonParser p, JsonToken value, List<Slice> slices) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      throw Where.file(file).error("ingest.json.malformed", "Bundle.entry must be an array");
    }
    int index = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      Where at = Where.entry(file, index++);
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw at.error("ingest.json.malformed", "entry must be a JSON object");
      }
      Optional<String> fullUrl = Optional.empty();
      int start = -1;
      int end = -1;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals("fullUrl") && v == JsonToken.VALUE_STRING) {
          fullUrl = Optional.of(p.getText());
        } else if (name.equals("resource") && v == JsonToken.START_OBJECT) {
          start = (int) p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          end = (int) p.currentLocation().getByteOffset();
        } else {
          p.skipChildren();
        }
      }
      if (start < 0) {
        throw at.error("ingest.bundle.entry-without-resource", "entry has no resource");
      }
      slices.add(new Slice(at, start, end, fullUrl));
    }
  }

  private Head head(Where where, int start, int end) {
    Optional<String> type = Optional.empty();
    boolean typeIsString = false;
    String id = "";
    try (JsonParser p = JSON.createParser(content, start, end - start)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals("resourceType")) {
          typeIsString = v == JsonToken.VALUE_STRING;
          type = typeIsString ? Optional.of(p.getText()) : Optional.of("");
        } else if (name.equals("id") && v == JsonToken.VALUE_STRING) {
          id = p.getText();
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw where.error("ingest.json.malformed", "unreadable resource", e);
    }
    return new Head(type, typeIsString, id);
  }

  private void add(Slice slice) {
    Where where = slice.where();
    Head head = head(where, slice.start(), slice.end());
    if (!head.typeIsString() || head.type().orElse("").isBlank()) {
      throw where.error("ingest.resource.missing-type", "resource has no resourceType string");
    }
    String type = head.type().get();
    if (!FhirJson.isKnownResourceType(type)) {
      throw where.error(
          "ingest.resource.unknown-type",
          "resourceType " + Where.safe(type) + " is not a FHIR R4 type");
    }
    String id = head.id();
    Optional<String> fullUrl = slice.fullUrl();
    if (id.isEmpty() && fullUrl.isPresent() && fullUrl.get().startsWith("urn:uuid:")) {
      id = fullUrl.get().substring("urn:uuid:".length());
    }
    if (!id.matches("[A-Za-z0-9\\-.]{1,64}")) {
      throw where.error(
          "ingest.resource.missing-id", type + " has no valid id (1-64 of A-Z a-z 0-9 - .)");
    }
    String key = type + "/" + id;
    Where at = where.resource(key);
    if (!keys.add(key)) {
      throw at.error("ingest.resource.duplicate-id", "the file holds " + key + " twice");
    }
    byte[] json = Arrays.copyOfRange(content, slice.start(), slice.end());
    Resource resource;
    try {
      resource = (Resource) FhirJson.parse(new String(json, StandardCharsets.UTF_8));
    } catch (FhirJson.ValueProblem p) {
      throw at.error(
          p.date ? "ingest.date.unparseable" : "ingest.value.invalid",
          (p.date ? "unparseable date in element " : "invalid value in element ") + p.element);
    } catch (RuntimeException e) {
      throw at.error("ingest.resource.invalid", "HAPI FHIR could not parse the resource", e);
    }
    resource.setId(id);
    entries.add(new FhirEntry(at, key, fullUrl, resource, json));
  }

  private static IngestException malformed(Where where, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String place = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return where.error("ingest.json.malformed", "malformed or truncated JSON" + place, e);
  }
}

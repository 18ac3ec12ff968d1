package org.salus.fhir.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads FHIR R4 JSON into {@link FhirEntry}s: a Bundle (transaction, batch, collection, searchset)
 * or NDJSON (one resource per line). Jackson reads the structure first, so malformed JSON is
 * reported by line and column without echoing content; HAPI then parses each resource.
 */
final class FhirFileReader {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> BUNDLE_TYPES =
      Set.of("transaction", "batch", "collection", "searchset");

  private final String file;
  private final Set<String> keys = new HashSet<>();
  private final List<FhirEntry> entries = new ArrayList<>();

  private FhirFileReader(String file) {
    this.file = file;
  }

  static List<FhirEntry> readBundle(String file, byte[] content) {
    FhirFileReader reader = new FhirFileReader(file);
    JsonNode root = reader.tree(content, Where.file(file), 0);
    reader.bundle(root);
    return reader.entries;
  }

  static List<FhirEntry> readNdjson(String file, byte[] content) {
    FhirFileReader reader = new FhirFileReader(file);
    String[] lines = new String(content, StandardCharsets.UTF_8).split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      Where where = Where.line(file, i + 1);
      JsonNode node = reader.tree(lines[i].getBytes(StandardCharsets.UTF_8), where, i);
      if ("Bundle".equals(node.path("resourceType").asText())) {
        throw where.error(
            "ingest.ndjson.bundle", "NDJSON holds one resource per line, not a Bundle");
      }
      reader.add(where, node, Optional.empty());
    }
    if (reader.entries.isEmpty()) {
      throw Where.file(file).error("ingest.file.empty", "the file holds no resources");
    }
    return reader.entries;
  }

  private JsonNode tree(byte[] content, Where where, int lineOffset) {
    try {
      JsonNode node = JSON.readTree(content);
      if (node == null || node.isMissingNode()) {
        throw where.error("ingest.file.empty", "no JSON content");
      }
      if (!node.isObject()) {
        throw where.error("ingest.json.malformed", "expected a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String place =
          at == null
              ? ""
              : " at line " + (at.getLineNr() + lineOffset) + ", column " + at.getColumnNr();
      throw where.error("ingest.json.malformed", "malformed or truncated JSON" + place, e);
    } catch (java.io.IOException e) {
      throw where.error("ingest.json.malformed", "unreadable JSON", e);
    }
  }

  private void bundle(JsonNode root) {
    Where where = Where.file(file);
    String type = root.path("resourceType").asText("");
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
    String bundleType = root.path("type").asText("");
    if (!BUNDLE_TYPES.contains(bundleType)) {
      throw where.error(
          "ingest.bundle.unsupported-type",
          "Bundle.type must be transaction, batch, collection or searchset");
    }
    JsonNode list = root.path("entry");
    if (!list.isArray() || list.isEmpty()) {
      throw where.error("ingest.file.empty", "the bundle has no entries");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode entry = list.get(i);
      Where at = Where.entry(file, i);
      JsonNode resource = entry.path("resource");
      if (!resource.isObject()) {
        throw at.error("ingest.bundle.entry-without-resource", "entry has no resource");
      }
      JsonNode fullUrl = entry.path("fullUrl");
      add(at, resource, fullUrl.isTextual() ? Optional.of(fullUrl.asText()) : Optional.empty());
    }
  }

  private void add(Where where, JsonNode node, Optional<String> fullUrl) {
    JsonNode typeNode = node.path("resourceType");
    if (!typeNode.isTextual() || typeNode.asText().isBlank()) {
      throw where.error("ingest.resource.missing-type", "resource has no resourceType string");
    }
    String type = typeNode.asText();
    if (!FhirJson.isKnownResourceType(type)) {
      throw where.error(
          "ingest.resource.unknown-type",
          "resourceType " + Where.safe(type) + " is not a FHIR R4 type");
    }
    String id = node.path("id").asText("");
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
    byte[] json;
    Resource resource;
    try {
      json = JSON.writeValueAsBytes(node);
      resource = (Resource) FhirJson.parse(new String(json, StandardCharsets.UTF_8));
    } catch (FhirJson.ValueProblem p) {
      throw at.error(
          p.date ? "ingest.date.unparseable" : "ingest.value.invalid",
          (p.date ? "unparseable date in element " : "invalid value in element ") + p.element);
    } catch (JsonProcessingException | RuntimeException e) {
      throw at.error("ingest.resource.invalid", "HAPI FHIR could not parse the resource", e);
    }
    resource.setId(id);
    entries.add(new FhirEntry(at, key, fullUrl, resource, json));
  }
}

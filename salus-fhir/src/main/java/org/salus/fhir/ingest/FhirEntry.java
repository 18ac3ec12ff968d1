package org.salus.fhir.ingest;

import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;

/**
 * One resource read from a bundle entry or an NDJSON line.
 *
 * @param where the entry index or line, with the resource's type and id
 * @param key {@code Type/id}
 * @param fullUrl the bundle entry's fullUrl, for resolving {@code urn:uuid:} references
 * @param json the resource as received, kept as its source document
 */
@SuppressWarnings("ArrayRecordComponent") // package-private, never compared or hashed
record FhirEntry(
    Where where, String key, Optional<String> fullUrl, Resource resource, byte[] json) {

  String type() {
    return resource.fhirType();
  }
}

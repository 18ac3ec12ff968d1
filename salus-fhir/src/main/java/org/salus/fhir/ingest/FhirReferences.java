package org.salus.fhir.ingest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * Resolves references to patients and encounters: inside the file first (by {@code Type/id}, full
 * URL or {@code urn:uuid:}), then in the node's store through {@link
 * org.salus.core.record.KnownRecords}; otherwise the reference is dangling.
 */
final class FhirReferences {

  private static final Pattern LITERAL =
      Pattern.compile("(?:.*/)?([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})(?:/_history/[^/]+)?");

  private final IngestContext context;
  private final Map<String, String> byUrl = new HashMap<>();
  private final Map<String, String> personKeys = new HashMap<>();
  private final Map<String, Boolean> inFile = new HashMap<>();

  FhirReferences(IngestContext context, List<FhirEntry> entries) {
    this.context = context;
    for (FhirEntry e : entries) {
      e.fullUrl().ifPresent(url -> byUrl.put(url, e.key()));
      inFile.put(e.key(), true);
      if (e.resource() instanceof Patient p) {
        personKeys.put(e.key(), context.pseudonymizer().personKey(sourceIdentifier(p, e.key())));
      }
    }
  }

  /**
   * The patient's source identifier: {@code system|value} of its medical record number (the
   * identifier typed {@code MR} in v2 table 0203) when it has one, else {@code Patient/<id>}.
   */
  static String sourceIdentifier(Patient p, String key) {
    for (Identifier id : p.getIdentifier()) {
      boolean mr = id.getType().getCoding().stream().anyMatch(c -> "MR".equals(c.getCode()));
      if (mr && id.hasValue() && id.hasSystem()) {
        return id.getSystem() + "|" + id.getValue();
      }
    }
    return key;
  }

  String recordKey(String source) {
    return context.pseudonymizer().recordKey(source);
  }

  /** The person key of a patient that is in this file. */
  String personKeyOfPatient(String patientKey) {
    return personKeys.get(patientKey);
  }

  /** The person key a required patient reference points to. */
  String person(Reference ref, Where where, String element) {
    if (ref == null || ref.isEmpty() || !ref.hasReference()) {
      throw where.error("ingest.reference.missing", element + " is missing");
    }
    String key = target(ref, where, element);
    if (!key.startsWith("Patient/")) {
      throw where.error(
          "ingest.bundle.invalid-reference", element + " must refer to a Patient, not " + key);
    }
    String inFileKey = personKeys.get(key);
    if (inFileKey != null) {
      return inFileKey;
    }
    return context
        .knownRecords()
        .personKeyOf(context.pseudonymizer().recordKey(key))
        .orElseThrow(
            () ->
                where.error(
                    "ingest.bundle.invalid-reference",
                    element + " refers to " + key + ", not in the file nor in the store"));
  }

  /** The visit key an optional encounter reference points to. */
  Optional<String> visit(Reference ref, Where where, String element) {
    if (ref == null || !ref.hasReference()) {
      return Optional.empty();
    }
    String key = target(ref, where, element);
    if (!key.startsWith("Encounter/")) {
      throw where.error(
          "ingest.bundle.invalid-reference", element + " must refer to an Encounter, not " + key);
    }
    String visitKey = context.pseudonymizer().recordKey(key);
    if (inFile.containsKey(key) || context.knownRecords().hasVisit(visitKey)) {
      return Optional.of(visitKey);
    }
    throw where.error(
        "ingest.bundle.invalid-reference",
        element + " refers to " + key + ", not in the file nor in the store");
  }

  /** {@code Type/id} of a reference, through the file's full URLs where needed. */
  String target(Reference ref, Where where, String element) {
    String reference = ref.getReference();
    String viaUrl = byUrl.get(reference);
    if (viaUrl != null) {
      return viaUrl;
    }
    if (reference.startsWith("urn:uuid:")) {
      throw where.error(
          "ingest.bundle.invalid-reference",
          element + " refers to " + Where.safe(reference) + ", no entry has that fullUrl");
    }
    Matcher m = LITERAL.matcher(reference);
    if (!m.matches()) {
      throw where.error(
          "ingest.bundle.invalid-reference",
          element + " is not a literal Type/id or urn:uuid reference");
    }
    return m.group(1) + "/" + m.group(2);
  }
}

package org.salus.cli;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.salus.core.consent.ConsentException;
import org.salus.fhir.consent.ConsentFhirReader;
import org.salus.fhir.consent.ConsentReadResult;
import org.salus.store.consent.ConsentDecoder;
import org.salus.store.consent.ConsentStore;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;

/**
 * An opened node with its consent store, for the {@code salus consent} commands; also finds the
 * person key of a {@code Patient/<id>} reference the way ingest does.
 */
final class NodeConsents implements AutoCloseable {

  private static final Pattern PATIENT = Pattern.compile("Patient/[A-Za-z0-9\\-.]{1,64}");

  private final Node node;
  private final ConsentStore consents;
  private final ConsentFhirReader reader;

  private NodeConsents(Node node, ConsentStore consents, ConsentFhirReader reader) {
    this.node = node;
    this.consents = consents;
    this.reader = reader;
  }

  static NodeConsents open(Path dir) {
    Node node = NodeDirectory.open(dir);
    try {
      ConsentFhirReader reader = new ConsentFhirReader(FhirContext.forR4Cached());
      ConsentStore store =
          ConsentStore.open(node.store().database(), node.keys().dataKey(), decoder(reader));
      return new NodeConsents(node, store, reader);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /** Reads stored documents back; one that no longer reads is corrupt, not the user's mistake. */
  private static ConsentDecoder decoder(ConsentFhirReader reader) {
    return document ->
        switch (reader.parse(document)) {
          case ConsentReadResult.Valid v -> v.root();
          case ConsentReadResult.Invalid i ->
              throw new ConsentException(
                  "consent.invalid",
                  "a consent document is not valid: "
                      + i.issues().get(0).expression()
                      + ": "
                      + i.issues().get(0).message());
        };
  }

  Node node() {
    return node;
  }

  ConsentStore consents() {
    return consents;
  }

  ConsentFhirReader reader() {
    return reader;
  }

  /**
   * The person key of the patient, as ingest computed it: the patient's row is found by the record
   * key of {@code Patient/<id>} (the person key itself derives from the medical record number when
   * the Patient has one, see FhirReferences). A patient the node does not hold is refused.
   */
  String personKey(String patientReference) {
    if (!PATIENT.matcher(patientReference).matches()) {
      throw new ConsentException(
          "consent.patient.invalid", "a patient is named Patient/<id>, for example Patient/123");
    }
    return node.store()
        .knownRecords()
        .personKeyOf(node.pseudonymizer().recordKey(patientReference))
        .orElseThrow(
            () ->
                new ConsentException(
                    "consent.patient.unknown",
                    "Consent.patient: this node holds no such patient; ingest the patient first"));
  }

  @Override
  public void close() {
    try {
      consents.close();
    } finally {
      node.close();
    }
  }
}

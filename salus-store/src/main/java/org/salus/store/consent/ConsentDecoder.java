package org.salus.store.consent;

import org.salus.core.consent.Provision;

/**
 * Reads a stored consent document (a FHIR R4 Consent in JSON, as received) back into its root
 * provision. The store keeps documents opaque so that it needs no FHIR library; the FHIR edge
 * supplies the decoder ({@code org.salus.fhir.consent.ConsentFhirReader}).
 */
@FunctionalInterface
public interface ConsentDecoder {

  /**
   * The root provision of the document.
   *
   * @throws org.salus.core.error.SalusException when the document is not a valid consent; the
   *     message names elements and codes, never patient data
   */
  Provision decode(String document);
}

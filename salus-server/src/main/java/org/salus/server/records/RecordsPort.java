package org.salus.server.records;

import java.util.Map;
import java.util.Optional;
import org.salus.server.login.Principal;

/**
 * The node's patient-record side, behind the consent-enforcing routes: a patient's own consent and
 * clinicians' FHIR searches. The server only guards and forwards; the implementation (in the node
 * wiring, which holds the store, the FHIR mapping and the policy decision point) decides every
 * access. Every method answers with a complete {@link Reply}.
 */
public interface RecordsPort {

  /** {@code GET /patient/consent}: the caller's current consent in plain terms. */
  Reply currentConsent(Principal patient);

  /** {@code POST /patient/consent}: records a FHIR R4 Consent as the caller's next version. */
  Reply recordConsent(Principal patient, String consentJson);

  /** {@code POST /patient/consent/revoke-all}: withdraws everything as a new version. */
  Reply revokeAll(Principal patient);

  /**
   * {@code GET /fhir/<type>}: a searchset Bundle of what the caller may see.
   *
   * @param query the query parameters (first value of each)
   * @param emergencyReason the {@code X-Salus-Emergency-Reason} header, for break-glass
   */
  Reply search(
      Principal clinician,
      String resourceType,
      Map<String, String> query,
      Optional<String> emergencyReason);

  /**
   * {@code GET /fhir/Patient/{id}/$summary}: an International Patient Summary-shaped document
   * Bundle holding only what the caller may see.
   */
  Reply summary(Principal clinician, String patientId);

  /**
   * {@code POST /fhir/Observation}: an Observation written back to the record by a granted
   * clinician or by the patient's own credential, stored with its provenance.
   */
  Reply writeObservation(Principal caller, String observationJson);

  /**
   * {@code GET /patient/observations}: the patient's own Observations, written-back ones included,
   * with the Provenance of each written-back one.
   */
  Reply ownObservations(Principal patient);

  /**
   * {@code POST /clinician/break-glass/end?patient=}: ends the caller's open emergency access to
   * the patient before its time limit; the end is recorded and shown to the patient.
   */
  Reply endBreakGlass(Principal clinician, String patient);

  /**
   * {@code GET /steward/break-glass}: the steward's review queue of emergency accesses, each with
   * its start, its end (by the clinician or the time limit) and who opened it.
   */
  Reply breakGlassReview(Principal steward);

  /**
   * {@code POST /steward/break-glass/{session}/review}: the steward's finding on one emergency
   * access, body {@code {"outcome": "justified"|"unjustified", "note": "..."}}; recorded once, in
   * the ledger (without the note) and in the node's store.
   */
  Reply reviewBreakGlass(Principal steward, String session, String body);

  /** A complete HTTP answer. */
  record Reply(int status, String contentType, String body) {}

  /** A port for a node started without records: every call answers 503. */
  static RecordsPort unavailable() {
    Reply none =
        new Reply(
            503,
            "application/problem+json",
            "{\"type\":\"urn:salus:problem:records.unavailable\",\"title\":\"Service"
                + " unavailable\",\"status\":503,\"detail\":\"this node serves no patient"
                + " records\",\"code\":\"records.unavailable\"}");
    return new RecordsPort() {
      @Override
      public Reply currentConsent(Principal patient) {
        return none;
      }

      @Override
      public Reply recordConsent(Principal patient, String consentJson) {
        return none;
      }

      @Override
      public Reply revokeAll(Principal patient) {
        return none;
      }

      @Override
      public Reply search(
          Principal clinician,
          String resourceType,
          Map<String, String> query,
          Optional<String> emergencyReason) {
        return none;
      }

      @Override
      public Reply summary(Principal clinician, String patientId) {
        return none;
      }

      @Override
      public Reply writeObservation(Principal caller, String observationJson) {
        return none;
      }

      @Override
      public Reply ownObservations(Principal patient) {
        return none;
      }

      @Override
      public Reply endBreakGlass(Principal clinician, String patient) {
        return none;
      }

      @Override
      public Reply breakGlassReview(Principal steward) {
        return none;
      }

      @Override
      public Reply reviewBreakGlass(Principal steward, String session, String body) {
        return none;
      }
    };
  }
}

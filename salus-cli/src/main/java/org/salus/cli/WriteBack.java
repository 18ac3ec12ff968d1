package org.salus.cli;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.salus.core.consent.ConsentAction;
import org.salus.core.consent.ConsentException;
import org.salus.core.consent.PolicyDecisionPoint;
import org.salus.core.consent.Purpose;
import org.salus.core.consent.RequestContext;
import org.salus.core.consent.Requester;
import org.salus.core.ledger.event.ActorId;
import org.salus.core.record.IngestBatch;
import org.salus.core.record.SourceDocument;
import org.salus.core.trust.Role;
import org.salus.fhir.ingest.IngestContext;
import org.salus.fhir.ingest.IngestException;
import org.salus.fhir.ingest.SourceReader;
import org.salus.server.login.Principal;
import org.salus.server.records.RecordsPort.Reply;
import org.salus.store.node.Node;

/**
 * {@code POST /fhir/Observation}: an Observation written back to the home record by a clinician
 * whom the patient granted {@code correct} on results (purpose TREAT), or by the patient's own
 * credential for their own record. The Observation is parsed with HAPI and checked (status, code,
 * subject, effective[x]); it is mapped and stored exactly as ingest does ({@link SourceReader} on a
 * one-entry collection Bundle, then {@code NodeStore.write}), with a FHIR Provenance stored beside
 * it: who (the hashed credential id and role), the institution and country the credential
 * disclosed, and when. Nothing is stored on a refusal.
 */
final class WriteBack {

  static final String SALUS = "https://salus.example.org/fhir/";

  private final NodeConsents consents;
  private final AccessLedger ledger;
  private final Clock clock;
  private final String nodeId;

  WriteBack(NodeConsents consents, AccessLedger ledger, Clock clock, String nodeId) {
    this.consents = consents;
    this.ledger = ledger;
    this.clock = clock;
    this.nodeId = nodeId;
  }

  Reply write(Principal p, String body) {
    IParser parser = FhirContext.forR4Cached().newJsonParser();
    Observation obs;
    try {
      obs = parser.parseResource(Observation.class, body);
    } catch (DataFormatException | ClassCastException e) {
      return invalid("Observation", "the body is not a FHIR R4 Observation");
    }
    Optional<Reply> missing = missing(obs);
    if (missing.isPresent()) {
      return missing.get();
    }
    String ref = obs.getSubject().getReference();
    Optional<Reply> refused = p.role() == Role.PATIENT ? ownRecord(p, ref) : granted(p, obs, ref);
    if (refused.isPresent()) {
      return refused.get();
    }
    String personKey = consents.personKey(ref);
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString();
    obs.setId(id);
    Provenance provenance = provenance(p, id, now);
    Bundle collection = new Bundle().setType(Bundle.BundleType.COLLECTION);
    collection.addEntry().setFullUrl("Observation/" + id).setResource(obs);
    byte[] content = parser.encodeResourceToString(collection).getBytes(StandardCharsets.UTF_8);
    Node node = consents.node();
    IngestBatch batch;
    try {
      batch =
          SourceReader.read(
              "write-back-" + id + ".json",
              content,
              IngestContext.of(
                  node.pseudonymizer(),
                  node.config().birthPrecision(),
                  node.store().knownRecords()));
    } catch (IngestException e) {
      return invalid("Observation", e.getMessage());
    }
    List<SourceDocument> sources = new ArrayList<>(batch.sources());
    sources.add(
        new SourceDocument(
            "Provenance",
            node.pseudonymizer().recordKey("Provenance/" + provenance.getIdPart()),
            personKey,
            parser.encodeResourceToString(provenance).getBytes(StandardCharsets.UTF_8)));
    node.store()
        .write(
            "write-back-" + id,
            sha256(content),
            new IngestBatch(batch.records(), sources, batch.sourceCounts()));
    ledger.writeBack(p, personKey, p.role() == Role.PATIENT ? Purpose.PATRQT : Purpose.TREAT, now);
    return new Reply(201, NodeRecords.FHIR_JSON, parser.encodeResourceToString(obs));
  }

  private static Optional<Reply> missing(Observation obs) {
    if (!obs.hasStatus()) {
      return Optional.of(invalid("Observation.status", "status is required"));
    }
    if (!obs.hasCode() || obs.getCode().getCoding().stream().noneMatch(Coding::hasCode)) {
      return Optional.of(invalid("Observation.code", "code needs a coding with a code"));
    }
    if (!obs.getSubject().hasReference()
        || !obs.getSubject().getReference().startsWith("Patient/")) {
      return Optional.of(invalid("Observation.subject", "subject is Patient/<id>"));
    }
    if (!obs.hasEffective()) {
      return Optional.of(invalid("Observation.effective[x]", "effective[x] is required"));
    }
    return Optional.empty();
  }

  /** A patient writes to their own record at their home node only. */
  private Optional<Reply> ownRecord(Principal p, String subject) {
    boolean home = p.claim("home_node").map(nodeId::equals).orElse(false);
    boolean own = p.claim("record_ref").map(subject::equals).orElse(false);
    return home && own ? Optional.empty() : Optional.of(forbidden());
  }

  /** A clinician writes where the consent permits {@code correct} on this result for TREAT. */
  private Optional<Reply> granted(Principal p, Observation obs, String subject) {
    Optional<Requester> requester = ClinicianSearch.requester(p);
    if (requester.isEmpty()) {
      return Optional.of(forbidden());
    }
    String personKey;
    try {
      personKey = consents.personKey(subject);
    } catch (ConsentException e) {
      return Optional.of(forbidden()); // an unknown patient is refused like a forbidden one
    }
    RequestContext context =
        RequestContext.of(requester.get(), Purpose.TREAT, ConsentAction.CORRECT, clock.instant());
    boolean permitted =
        new PolicyDecisionPoint(consents.consents().defaults())
            .filter(consents.consents().history(personKey), context)
            .test(
                ClinicianSearch.facts(
                    "Observation",
                    FhirContext.forR4Cached()
                        .newJsonParser()
                        .encodeResourceToString(obs)
                        .getBytes(StandardCharsets.UTF_8)));
    return permitted ? Optional.empty() : Optional.of(forbidden());
  }

  private static Provenance provenance(Principal p, String observationId, Instant now) {
    Provenance prov = new Provenance();
    prov.setId(UUID.randomUUID().toString());
    prov.addTarget(new Reference("Observation/" + observationId));
    prov.setRecorded(Date.from(now));
    Provenance.ProvenanceAgentComponent agent = prov.addAgent();
    agent.setType(
        new CodeableConcept(
            new Coding(
                "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                "author",
                "Author")));
    agent.addRole(
        new CodeableConcept(new Coding(SALUS + "CodeSystem/role", p.role().wireName(), null)));
    agent.setWho(
        new Reference()
            .setIdentifier(
                new Identifier()
                    .setSystem(SALUS + "actor")
                    .setValue(ActorId.ofCredential(p.issuer() + "/" + p.subject()).hash().hex())));
    Reference onBehalfOf = new Reference();
    onBehalfOf.setIdentifier(new Identifier().setSystem(SALUS + "issuer").setValue(p.issuer()));
    p.claim("institution").ifPresent(onBehalfOf::setDisplay);
    agent.setOnBehalfOf(onBehalfOf);
    p.claim("country")
        .ifPresent(
            c -> prov.addExtension(SALUS + "StructureDefinition/country", new StringType(c)));
    return prov;
  }

  private static Reply forbidden() {
    return NodeRecords.outcome(
        403,
        NodeRecords.issue(
            OperationOutcome.IssueType.FORBIDDEN,
            "Observation.subject",
            "the caller may not write to this record"));
  }

  private static Reply invalid(String element, String message) {
    return NodeRecords.outcome(
        400, NodeRecords.issue(OperationOutcome.IssueType.INVALID, element, message));
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required", e);
    }
  }
}

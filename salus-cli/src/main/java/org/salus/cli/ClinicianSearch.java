package org.salus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.salus.core.consent.ConsentAction;
import org.salus.core.consent.ConsentException;
import org.salus.core.consent.ConsentHistory;
import org.salus.core.consent.DataClass;
import org.salus.core.consent.EmergencyAccessPolicy;
import org.salus.core.consent.EmergencyOpening;
import org.salus.core.consent.InstitutionKind;
import org.salus.core.consent.Licence;
import org.salus.core.consent.PolicyDecisionPoint;
import org.salus.core.consent.Purpose;
import org.salus.core.consent.RecordFacts;
import org.salus.core.consent.RequestContext;
import org.salus.core.consent.Requester;
import org.salus.core.consent.Role;
import org.salus.core.consent.SecurityLabel;
import org.salus.core.record.Code;
import org.salus.server.login.Principal;
import org.salus.server.records.RecordsPort.Reply;

/**
 * A clinician's FHIR search on one patient's Observations or Conditions: the stored original
 * resources, decrypted, kept only where {@link PolicyDecisionPoint#filter} permits, returned as a
 * searchset Bundle without {@code total}, so hidden records leave no trace. Purpose TREAT; with
 * {@code purpose=ETREAT} and a stated reason, an emergency clinician breaks the glass under the
 * steward's {@link EmergencyAccessPolicy}.
 */
final class ClinicianSearch {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NodeConsents consents;
  private final AccessLedger ledger;
  private final Clock clock;
  private final EmergencyAccessPolicy emergency = EmergencyAccessPolicy.standard();

  ClinicianSearch(NodeConsents consents, AccessLedger ledger, Clock clock) {
    this.consents = consents;
    this.ledger = ledger;
    this.clock = clock;
  }

  Reply search(
      Principal p,
      String resourceType,
      Map<String, String> query,
      Optional<String> emergencyReason) {
    Optional<String> patient = Optional.ofNullable(query.get("patient"));
    if (patient.isEmpty()) {
      return invalid("patient", "a search names the patient: ?patient=Patient/<id>");
    }
    String ref = patient.get().startsWith("Patient/") ? patient.get() : "Patient/" + patient.get();
    Optional<Purpose> purpose =
        Purpose.fromCode(query.getOrDefault("purpose", Purpose.TREAT.code()))
            .filter(x -> x == Purpose.TREAT || x == Purpose.ETREAT);
    if (purpose.isEmpty()) {
      return invalid("purpose", "purpose is TREAT (default) or ETREAT");
    }
    Optional<Requester> requester = requester(p);
    if (requester.isEmpty()) {
      return NodeRecords.problem(
          403, "records.claims", "a clinician discloses country at login to search records");
    }
    String personKey;
    try {
      personKey = consents.personKey(ref);
    } catch (ConsentException e) {
      if (e.code().equals("consent.patient.invalid")) {
        return invalid("patient", e.getMessage());
      }
      return bundle(resourceType, new byte[0][]); // an unknown patient looks like an empty one
    }
    Instant now = clock.instant();
    RequestContext context =
        RequestContext.of(requester.get(), purpose.get(), ConsentAction.ACCESS, now);
    if (purpose.get() == Purpose.ETREAT) {
      if (emergencyReason.filter(r -> !r.isBlank()).isEmpty()) {
        return invalid("purpose", "ETREAT needs a reason in X-Salus-Emergency-Reason");
      }
      EmergencyOpening opening;
      try {
        opening =
            emergency.open(
                UUID.randomUUID().toString(),
                requester.get(),
                personKey,
                emergencyReason.get(),
                now);
      } catch (ConsentException e) {
        return NodeRecords.problem(403, e.code(), e.getMessage());
      }
      ledger.breakGlass(p, personKey, opening);
      context = context.withEmergency(opening.access());
    }
    ConsentHistory history = consents.consents().history(personKey);
    Predicate<RecordFacts> visible =
        new PolicyDecisionPoint(consents.consents().defaults()).filter(history, context);
    byte[][] kept =
        consents.node().store().readSources(personKey, resourceType).stream()
            .filter(doc -> visible.test(facts(resourceType, doc)))
            .toArray(byte[][]::new);
    DataClass.fromResourceType(resourceType)
        .ifPresent(c -> ledger.search(p, personKey, purpose.get(), c, now));
    return bundle(resourceType, kept);
  }

  /**
   * The requester as the credential proves it: a clinician's role, licence (number and the
   * credential's issuer) and country. Claim {@code clinical_role} may name a narrower consent role
   * such as {@code emergency-clinician}.
   */
  static Optional<Requester> requester(Principal p) {
    Optional<String> country = p.claim("country");
    if (country.isEmpty()) {
      return Optional.empty();
    }
    Role role =
        p.claim("clinical_role")
            .flatMap(Role::fromCode)
            .filter(r -> r == Role.EMERGENCY_CLINICIAN || r == Role.NURSE)
            .orElse(Role.CLINICIAN);
    String reference = "Practitioner/" + p.subject();
    return Optional.of(
        p.claim("licence_number")
            .map(
                n ->
                    Requester.clinician(
                        reference,
                        role,
                        new Licence(n, p.issuer()),
                        country.get(),
                        InstitutionKind.PUBLIC))
            .orElseGet(() -> Requester.of(reference, role, country.get(), InstitutionKind.PUBLIC)));
  }

  /** Class, codes, security labels and clinical date of a stored resource. */
  static RecordFacts facts(String resourceType, byte[] document) {
    JsonNode r = parse(document);
    Set<Code> codes = new HashSet<>();
    for (JsonNode c : r.path("code").path("coding")) {
      if (c.hasNonNull("system") && c.hasNonNull("code")) {
        codes.add(new Code(c.get("system").asText(), c.get("code").asText()));
      }
    }
    Set<SecurityLabel> labels = new HashSet<>();
    for (JsonNode s : r.path("meta").path("security")) {
      SecurityLabel.fromCode(s.path("code").asText()).ifPresent(labels::add);
    }
    Optional<Instant> date =
        first(r, "effectiveDateTime", "onsetDateTime", "issued", "recordedDate")
            .or(() -> first(r.path("effectivePeriod"), "start"))
            .flatMap(ClinicianSearch::instant);
    return new RecordFacts(DataClass.fromResourceType(resourceType), codes, labels, date);
  }

  private static Optional<String> first(JsonNode r, String... fields) {
    for (String f : fields) {
      if (r.hasNonNull(f)) {
        return Optional.of(r.get(f).asText());
      }
    }
    return Optional.empty();
  }

  private static Optional<Instant> instant(String fhir) {
    try {
      return Optional.of(OffsetDateTime.parse(fhir).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(LocalDate.parse(fhir).atStartOfDay(ZoneOffset.UTC).toInstant());
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  private static JsonNode parse(byte[] document) {
    try {
      return JSON.readTree(document);
    } catch (IOException e) {
      throw new ConsentException("records.source-unreadable", "a stored resource is not JSON");
    }
  }

  /** A searchset Bundle of the kept resources; no {@code total}, so nothing hidden is counted. */
  private static Reply bundle(String resourceType, byte[][] kept) {
    ObjectNode b = JSON.createObjectNode();
    b.put("resourceType", "Bundle");
    b.put("type", "searchset");
    ArrayNode entries = b.putArray("entry");
    for (byte[] doc : kept) {
      JsonNode r = parse(doc);
      ObjectNode e = entries.addObject();
      e.put("fullUrl", resourceType + "/" + r.path("id").asText());
      e.set("resource", r);
      e.putObject("search").put("mode", "match");
    }
    return new Reply(200, NodeRecords.FHIR_JSON, b.toString());
  }

  private static Reply invalid(String parameter, String message) {
    return NodeRecords.outcome(
        400, NodeRecords.issue(OperationOutcome.IssueType.INVALID, parameter, message));
  }
}

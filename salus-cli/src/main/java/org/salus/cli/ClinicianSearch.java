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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
import org.salus.core.consent.EmergencyAccess;
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
 * steward's {@link EmergencyAccessPolicy}; the access stays open for its window ({@link
 * BreakGlassSessions}), so later ETREAT requests reuse it rather than open another.
 */
final class ClinicianSearch {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NodeConsents consents;
  private final AccessLedger ledger;
  private final Clock clock;
  private final EmergencyAccessPolicy emergency = EmergencyAccessPolicy.standard();
  private final BreakGlassSessions sessions;

  ClinicianSearch(
      NodeConsents consents, AccessLedger ledger, Clock clock, BreakGlassSessions sessions) {
    this.consents = consents;
    this.ledger = ledger;
    this.clock = clock;
    this.sessions = sessions;
  }

  Reply search(
      Principal p,
      String resourceType,
      Map<String, String> query,
      Optional<String> emergencyReason) {
    // The page is checked first: a malformed one opens nothing and leaves no ledger entry.
    SearchPage page;
    switch (SearchPage.parse(query)) {
      case SearchPage.Parsed.Invalid i -> {
        return invalid(i.parameter(), i.message());
      }
      case SearchPage.Parsed.Ok ok -> page = ok.page();
    }
    return switch (open(p, query.get("patient"), query, emergencyReason)) {
      case Gate.Refused r -> r.reply();
      case Gate.Open o -> {
        List<byte[]> kept = o.personKey().map(key -> kept(o, key, resourceType)).orElse(List.of());
        o.personKey()
            .ifPresent(
                key ->
                    DataClass.fromResourceType(resourceType)
                        .ifPresent(c -> ledger.search(p, key, o.purpose(), c, o.at())));
        yield bundle(
            page.of(kept),
            page.url(resourceType, query),
            page.next(kept.size()).map(n -> n.url(resourceType, query)));
      }
    };
  }

  /** What a request may see once its patient, purpose and requester are checked. */
  sealed interface Gate {
    /** The request is refused with this answer. */
    record Refused(Reply reply) implements Gate {}

    /** The request may proceed; an unknown patient has no person key and shows nothing. */
    record Open(
        Optional<String> personKey, Predicate<RecordFacts> visible, Purpose purpose, Instant at)
        implements Gate {}
  }

  /** The stored originals of one searched type the gate lets through. */
  List<byte[]> kept(Gate.Open o, String personKey, String resourceType) {
    List<byte[]> kept = new ArrayList<>();
    for (String stored : storedTypes(resourceType)) {
      for (byte[] doc : consents.node().store().readSources(personKey, stored)) {
        if (o.visible().test(facts(resourceType, doc))) {
          kept.add(doc);
        }
      }
    }
    return kept;
  }

  /** Medications are stored as ingested: MedicationStatement and MedicationRequest originals. */
  private static List<String> storedTypes(String resourceType) {
    return resourceType.equals("MedicationStatement")
        ? List.of("MedicationStatement", "MedicationRequest")
        : List.of(resourceType);
  }

  /** Checks the patient, purpose and requester and decides what the request may see. */
  Gate open(
      Principal p,
      String patientParameter,
      Map<String, String> query,
      Optional<String> emergencyReason) {
    if (patientParameter == null || patientParameter.isBlank()) {
      return new Gate.Refused(
          invalid("patient", "a search names the patient: ?patient=Patient/<id>"));
    }
    String ref =
        patientParameter.startsWith("Patient/") ? patientParameter : "Patient/" + patientParameter;
    Optional<Purpose> purpose =
        Purpose.fromCode(query.getOrDefault("purpose", Purpose.TREAT.code()))
            .filter(x -> x == Purpose.TREAT || x == Purpose.ETREAT);
    if (purpose.isEmpty()) {
      return new Gate.Refused(invalid("purpose", "purpose is TREAT (default) or ETREAT"));
    }
    Optional<Requester> requester = requester(p);
    if (requester.isEmpty()) {
      return new Gate.Refused(
          NodeRecords.problem(
              403, "records.claims", "a clinician discloses country at login to search records"));
    }
    Instant now = clock.instant();
    String personKey;
    try {
      personKey = consents.personKey(ref);
    } catch (ConsentException e) {
      if (e.code().equals("consent.patient.invalid")) {
        return new Gate.Refused(invalid("patient", e.getMessage()));
      }
      // an unknown patient looks like an empty one
      return new Gate.Open(Optional.empty(), x -> false, purpose.get(), now);
    }
    RequestContext context =
        RequestContext.of(requester.get(), purpose.get(), ConsentAction.ACCESS, now);
    if (purpose.get() == Purpose.ETREAT) {
      if (emergencyReason.filter(r -> !r.isBlank()).isEmpty()) {
        return new Gate.Refused(
            invalid("purpose", "ETREAT needs a reason in X-Salus-Emergency-Reason"));
      }
      Optional<EmergencyAccess> current = sessions.current(p, personKey, now);
      EmergencyAccess access;
      if (current.isPresent()) {
        access = current.get();
      } else {
        EmergencyOpening opening;
        try {
          opening =
              emergency.open(
                  UUID.randomUUID().toString(),
                  requester.get(),
                  personKey,
                  emergencyReason.get(),
                  // as the store keeps it, so a resumed access ends at exactly the same time
                  now.truncatedTo(ChronoUnit.MICROS));
        } catch (ConsentException e) {
          return new Gate.Refused(NodeRecords.problem(403, e.code(), e.getMessage()));
        }
        // The store first: an access a restart would not find could never be ended.
        sessions.opened(p, personKey, opening.access());
        ledger.breakGlass(p, personKey, opening);
        access = opening.access();
      }
      context = context.withEmergency(access);
    }
    ConsentHistory history = consents.consents().history(personKey);
    Predicate<RecordFacts> visible =
        new PolicyDecisionPoint(consents.consents().defaults()).filter(history, context);
    return new Gate.Open(Optional.of(personKey), visible, purpose.get(), now);
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
    for (String field : List.of("code", "medicationCodeableConcept")) {
      for (JsonNode c : r.path(field).path("coding")) {
        if (c.hasNonNull("system") && c.hasNonNull("code")) {
          codes.add(new Code(c.get("system").asText(), c.get("code").asText()));
        }
      }
    }
    Set<SecurityLabel> labels = new HashSet<>();
    for (JsonNode s : r.path("meta").path("security")) {
      SecurityLabel.fromCode(s.path("code").asText()).ifPresent(labels::add);
    }
    Optional<Instant> date =
        first(r, "effectiveDateTime", "onsetDateTime", "issued", "recordedDate", "authoredOn")
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

  static JsonNode parse(byte[] document) {
    try {
      return JSON.readTree(document);
    } catch (IOException e) {
      throw new ConsentException("records.source-unreadable", "a stored resource is not JSON");
    }
  }

  /**
   * A searchset Bundle of one page of the kept resources, with {@code self} and (when more follow)
   * {@code next} links; no {@code total}, so nothing hidden is counted.
   */
  private static Reply bundle(List<byte[]> kept, String self, Optional<String> next) {
    ObjectNode b = JSON.createObjectNode();
    b.put("resourceType", "Bundle");
    b.put("type", "searchset");
    ArrayNode links = b.putArray("link");
    links.addObject().put("relation", "self").put("url", self);
    next.ifPresent(url -> links.addObject().put("relation", "next").put("url", url));
    ArrayNode entries = b.putArray("entry");
    for (byte[] doc : kept) {
      JsonNode r = parse(doc);
      ObjectNode e = entries.addObject();
      e.put("fullUrl", r.path("resourceType").asText() + "/" + r.path("id").asText());
      e.set("resource", r);
      e.putObject("search").put("mode", "match");
    }
    return new Reply(200, NodeRecords.FHIR_JSON, b.toString());
  }

  static Reply invalid(String parameter, String message) {
    return NodeRecords.outcome(
        400, NodeRecords.issue(OperationOutcome.IssueType.INVALID, parameter, message));
  }
}

package org.salus.fhir.consent;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.salus.core.consent.ActorMatcher;
import org.salus.core.consent.ConsentAction;
import org.salus.core.consent.DataClass;
import org.salus.core.consent.InstitutionKind;
import org.salus.core.consent.Interval;
import org.salus.core.consent.Licence;
import org.salus.core.consent.Provision;
import org.salus.core.consent.Purpose;
import org.salus.core.consent.Role;
import org.salus.core.consent.SecurityLabel;
import org.salus.core.record.Code;

/** Reads one {@code Consent.provision} and its nested provisions, collecting issues by path. */
final class ProvisionReader {

  private final String path;
  private final List<ConsentIssue> issues;

  private ProvisionReader(String path, List<ConsentIssue> issues) {
    this.path = path;
    this.issues = issues;
  }

  /** The provision, or empty if it had issues (which are added to the list). */
  static Optional<Provision> read(ProvisionComponent f, String path, List<ConsentIssue> issues) {
    int before = issues.size();
    Provision p = new ProvisionReader(path, issues).provision(f);
    return issues.size() == before ? Optional.of(p) : Optional.empty();
  }

  private Provision provision(ProvisionComponent f) {
    Provision.Builder b =
        switch (f.hasType() ? f.getType() : Consent.ConsentProvisionType.NULL) {
          case PERMIT -> Provision.permit();
          case DENY -> Provision.deny();
          case NULL -> Provision.scope();
        };
    if (f.getId() != null) {
      b.id(f.getId());
    }
    if (f.hasPeriod()) {
      period(f.getPeriod(), path + ".period").ifPresent(b::period);
    }
    for (int i = 0; i < f.getActor().size(); i++) {
      actor(f.getActor().get(i), path + ".actor[" + i + "]").ifPresent(b::actor);
    }
    b.actions(
        concepts(f.getAction(), "action", ConsentAction.SYSTEM, ConsentAction::fromCode)
            .toArray(ConsentAction[]::new));
    b.securityLabels(
        codings(
            f.getSecurityLabel(), "securityLabel", SecurityLabel.SYSTEM, SecurityLabel::fromCode));
    b.purposes(codings(f.getPurpose(), "purpose", Purpose.SYSTEM, Purpose::fromCode));
    b.classes(classes(f.getClass_()));
    b.codes(codes(f.getCode()).toArray(Code[]::new));
    if (f.hasDataPeriod()) {
      period(f.getDataPeriod(), path + ".dataPeriod").ifPresent(b::dataPeriod);
    }
    if (f.hasData()) {
      issues.add(
          new ConsentIssue(
              IssueType.NOTSUPPORTED,
              path + ".data",
              "provisions about specific resources are not supported"));
    }
    extensions(f.getExtension(), b);
    List<Provision> children = new ArrayList<>();
    for (int i = 0; i < f.getProvision().size(); i++) {
      String childPath = path + ".provision[" + i + "]";
      children.add(new ProvisionReader(childPath, issues).provision(f.getProvision().get(i)));
    }
    contradictions(children);
    b.provisions(children);
    return b.build();
  }

  private Optional<ActorMatcher> actor(Consent.provisionActorComponent a, String at) {
    Optional<Coding> role =
        a.hasRole() ? a.getRole().getCoding().stream().findFirst() : Optional.empty();
    Reference ref = a.hasReference() ? a.getReference() : new Reference();
    if (role.isEmpty()) {
      issues.add(new ConsentIssue(IssueType.REQUIRED, at + ".role", "an actor needs a role"));
      return Optional.empty();
    }
    Coding r = role.get();
    boolean byIdentifier =
        ref.hasIdentifier() && ref.getIdentifier().hasSystem() && ref.getIdentifier().hasValue();
    if (!ref.hasReference() && !byIdentifier) {
      issues.add(
          new ConsentIssue(
              IssueType.REQUIRED,
              at + ".reference",
              "an actor needs a reference or an identifier with system and value"));
      return Optional.empty();
    }
    if (ConsentFhir.PARTICIPATION_TYPE.equals(r.getSystem())
        && ConsentFhir.RECIPIENT_ROLE.equals(r.getCode())
        && byIdentifier) {
      return Optional.of(
          new ActorMatcher.ByLicence(
              new Licence(ref.getIdentifier().getValue(), ref.getIdentifier().getSystem())));
    }
    Optional<Role> salusRole =
        Role.SYSTEM.equals(r.getSystem()) ? Role.fromCode(r.getCode()) : Optional.empty();
    if (salusRole.isEmpty()) {
      issues.add(
          new ConsentIssue(
              IssueType.CODEINVALID,
              at + ".role",
              "unknown actor role " + r.getSystem() + "|" + r.getCode()));
      return Optional.empty();
    }
    if (byIdentifier && ConsentFhir.COUNTRY_SYSTEM.equals(ref.getIdentifier().getSystem())) {
      return Optional.of(
          new ActorMatcher.ByRoleAndCountry(salusRole.get(), ref.getIdentifier().getValue()));
    }
    if (!ref.hasReference()) {
      issues.add(
          new ConsentIssue(
              IssueType.NOTSUPPORTED,
              at + ".reference.identifier",
              "a role names an actor by reference or by country ("
                  + ConsentFhir.COUNTRY_SYSTEM
                  + ")"));
      return Optional.empty();
    }
    return Optional.of(new ActorMatcher.ByReference(salusRole.get(), ref.getReference()));
  }

  private <T> Set<T> concepts(
      List<CodeableConcept> concepts,
      String element,
      String system,
      Function<String, Optional<T>> decode) {
    List<Coding> chosen = new ArrayList<>();
    for (CodeableConcept c : concepts) {
      // The coding in the expected system if there is one, else the first, reported as unknown.
      List<Coding> codings = c.getCoding();
      chosen.add(
          codings.stream()
              .filter(x -> system.equals(x.getSystem()))
              .findFirst()
              .orElse(codings.isEmpty() ? new Coding() : codings.get(0)));
    }
    return codings(chosen, element, system, decode);
  }

  private <T> Set<T> codings(
      List<Coding> codings, String element, String system, Function<String, Optional<T>> decode) {
    Set<T> out = new HashSet<>();
    for (int i = 0; i < codings.size(); i++) {
      Coding c = codings.get(i);
      Optional<T> v =
          system.equals(c.getSystem()) && c.hasCode()
              ? decode.apply(c.getCode())
              : Optional.empty();
      if (v.isEmpty()) {
        issues.add(
            new ConsentIssue(
                IssueType.CODEINVALID,
                path + "." + element + "[" + i + "]",
                "unknown " + element + " code " + c.getSystem() + "|" + c.getCode()));
      }
      v.ifPresent(out::add);
    }
    return out;
  }

  private Set<DataClass> classes(List<Coding> codings) {
    Set<DataClass> out = EnumSet.noneOf(DataClass.class);
    for (int i = 0; i < codings.size(); i++) {
      Coding c = codings.get(i);
      Optional<DataClass> v =
          DataClass.SYSTEM.equals(c.getSystem())
              ? DataClass.fromCode(c.getCode())
              : DataClass.RESOURCE_TYPES.equals(c.getSystem())
                  ? DataClass.fromResourceType(c.getCode())
                  : Optional.empty();
      if (v.isEmpty()) {
        issues.add(
            new ConsentIssue(
                IssueType.CODEINVALID,
                path + ".class[" + i + "]",
                "unknown class " + c.getSystem() + "|" + c.getCode()));
      }
      v.ifPresent(out::add);
    }
    return out;
  }

  private List<Code> codes(List<CodeableConcept> concepts) {
    List<Code> out = new ArrayList<>();
    for (int i = 0; i < concepts.size(); i++) {
      for (Coding c : concepts.get(i).getCoding()) {
        if (c.hasSystem() && c.hasCode() && !c.getCode().isBlank()) {
          out.add(new Code(c.getSystem(), c.getCode()));
        } else {
          issues.add(
              new ConsentIssue(
                  IssueType.REQUIRED,
                  path + ".code[" + i + "]",
                  "a code needs a system and a code"));
        }
      }
    }
    return out;
  }

  private void extensions(List<Extension> extensions, Provision.Builder b) {
    Set<InstitutionKind> kinds = EnumSet.noneOf(InstitutionKind.class);
    List<String> studies = new ArrayList<>();
    for (int i = 0; i < extensions.size(); i++) {
      Extension e = extensions.get(i);
      String at = path + ".extension[" + i + "]";
      if (ConsentFhir.INSTITUTION_KIND_EXTENSION.equals(e.getUrl())
          && e.getValue() instanceof Coding c) {
        Optional<InstitutionKind> k =
            InstitutionKind.SYSTEM.equals(c.getSystem())
                ? InstitutionKind.fromCode(c.getCode())
                : Optional.empty();
        k.ifPresentOrElse(
            kinds::add,
            () ->
                issues.add(
                    new ConsentIssue(
                        IssueType.CODEINVALID,
                        at,
                        "unknown institution kind " + c.getSystem() + "|" + c.getCode())));
      } else if (ConsentFhir.STUDY_EXTENSION.equals(e.getUrl())
          && e.getValue() instanceof StringType s
          && s.hasValue()) {
        studies.add(s.getValue());
      } else {
        // An ignored restriction would widen a permit, so unknown extensions are refused.
        issues.add(
            new ConsentIssue(
                IssueType.NOTSUPPORTED,
                at,
                "unknown or malformed provision extension " + e.getUrl()));
      }
    }
    b.institutionKinds(kinds.toArray(InstitutionKind[]::new));
    b.studies(studies.toArray(String[]::new));
  }

  private void contradictions(List<Provision> children) {
    for (int j = 0; j < children.size(); j++) {
      for (int i = 0; i < j; i++) {
        Provision a = children.get(i);
        Provision b = children.get(j);
        if (a.type().isPresent()
            && b.type().isPresent()
            && a.type().get() != b.type().get()
            && scope(a).equals(scope(b))) {
          issues.add(
              new ConsentIssue(
                  IssueType.BUSINESSRULE,
                  path + ".provision[" + j + "]",
                  "contradicts "
                      + path
                      + ".provision["
                      + i
                      + "]: same scope, one permit and one deny"));
        }
      }
    }
  }

  /** What a provision is about, without its name, type or exceptions. */
  private static Provision scope(Provision p) {
    return new Provision(
        Optional.empty(),
        Optional.empty(),
        p.actors(),
        p.actions(),
        p.purposes(),
        p.classes(),
        p.codes(),
        p.dataPeriod(),
        p.period(),
        p.securityLabels(),
        p.institutionKinds(),
        p.studies(),
        List.of());
  }

  private Optional<Interval> period(Period p, String at) {
    Optional<Instant> start =
        p.hasStart() ? Optional.of(instant(p.getStartElement(), false)) : Optional.empty();
    Optional<Instant> end =
        p.hasEnd() ? Optional.of(instant(p.getEndElement(), true)) : Optional.empty();
    if (start.isPresent() && end.isPresent() && end.get().isBefore(start.get())) {
      issues.add(new ConsentIssue(IssueType.INVARIANT, at, "the period ends before it starts"));
      return Optional.empty();
    }
    return Optional.of(new Interval(start, end));
  }

  /**
   * A FHIR dateTime as an instant. Date-only values are read in UTC; FHIR includes the whole end
   * date in a period, so a date-only end becomes the start of the next day (Salus's intervals are
   * half-open).
   */
  static Instant instant(DateTimeType t, boolean end) {
    TemporalPrecisionEnum precision = t.getPrecision();
    boolean dateOnly =
        switch (precision) {
          case YEAR, MONTH, DAY -> true;
          case MINUTE, SECOND, MILLI -> false;
        };
    if (!dateOnly) {
      return t.getValue().toInstant();
    }
    int month = precision == TemporalPrecisionEnum.YEAR ? 1 : t.getMonth() + 1;
    int day = precision == TemporalPrecisionEnum.DAY ? t.getDay() : 1;
    LocalDate date = LocalDate.of(t.getYear(), month, day);
    if (end) {
      date =
          switch (precision) {
            case YEAR -> date.plusYears(1);
            case MONTH -> date.plusMonths(1);
            default -> date.plusDays(1);
          };
    }
    return date.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}

package org.salus.core.consent;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.salus.core.record.Code;

/**
 * One rule of a consent, shaped like FHIR R4 {@code Consent.provision}. A provision applies to a
 * request when every dimension it restricts matches (an empty dimension restricts nothing; within a
 * dimension any listed value matches). Nested {@link #provisions()} are exceptions to their parent:
 * they are considered only where the parent applies. {@link #type()} may be empty for a provision
 * that only groups exceptions. How provisions combine is {@link PolicyDecisionPoint}'s rule.
 *
 * @param id a stable name ({@code Consent.provision.id}), used by {@link ConsentChoices}
 * @param actors requesters named; the requester must match one
 * @param actions the request's action must be one of these
 * @param purposes the request's purpose must be one of these
 * @param classes the record's class must be one of these
 * @param codes the record must carry one of these codes
 * @param dataPeriod the record's clinical date must fall inside
 * @param period the request's time must fall inside
 * @param securityLabels the record must carry one of these labels
 * @param institutionKinds the requester's institution must be of one of these kinds
 * @param studies the request must be for one of these studies
 */
public record Provision(
    Optional<String> id,
    Optional<ProvisionType> type,
    List<ActorMatcher> actors,
    Set<ConsentAction> actions,
    Set<Purpose> purposes,
    Set<DataClass> classes,
    Set<Code> codes,
    Optional<Interval> dataPeriod,
    Optional<Interval> period,
    Set<SecurityLabel> securityLabels,
    Set<InstitutionKind> institutionKinds,
    Set<String> studies,
    List<Provision> provisions) {

  public Provision {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    actors = List.copyOf(actors);
    actions = Set.copyOf(actions);
    purposes = Set.copyOf(purposes);
    classes = Set.copyOf(classes);
    codes = Set.copyOf(codes);
    Objects.requireNonNull(dataPeriod, "dataPeriod");
    Objects.requireNonNull(period, "period");
    securityLabels = Set.copyOf(securityLabels);
    institutionKinds = Set.copyOf(institutionKinds);
    studies = Set.copyOf(studies);
    provisions = List.copyOf(provisions);
  }

  public static Builder permit() {
    return new Builder(Optional.of(ProvisionType.PERMIT));
  }

  public static Builder deny() {
    return new Builder(Optional.of(ProvisionType.DENY));
  }

  /** A provision without a type, grouping exceptions under a scope. */
  public static Builder scope() {
    return new Builder(Optional.empty());
  }

  /** A builder holding this provision's values. */
  public Builder toBuilder() {
    Builder b = new Builder(type);
    b.id = id;
    b.actors.addAll(actors);
    b.actions = actions;
    b.purposes = purposes;
    b.classes = classes;
    b.codes = codes;
    b.dataPeriod = dataPeriod;
    b.period = period;
    b.securityLabels = securityLabels;
    b.institutionKinds = institutionKinds;
    b.studies = studies;
    b.provisions.addAll(provisions);
    return b;
  }

  /** Whether this provision's own restrictions match the request (children not considered). */
  public boolean appliesTo(AccessRequest request) {
    RequestContext c = request.context();
    RecordFacts r = request.record();
    return (purposes.isEmpty() || purposes.contains(c.purpose()))
        && (actions.isEmpty() || actions.contains(c.action()))
        && (period.isEmpty() || period.get().contains(c.time()))
        && (studies.isEmpty() || c.study().map(studies::contains).orElse(false))
        && (institutionKinds.isEmpty()
            || institutionKinds.contains(c.requester().institutionKind()))
        && actorMatches(c.requester())
        && (classes.isEmpty() || r.dataClass().map(classes::contains).orElse(false))
        && (securityLabels.isEmpty() || intersects(securityLabels, r.labels()))
        && (codes.isEmpty() || intersects(codes, r.codes()))
        && (dataPeriod.isEmpty() || r.date().map(dataPeriod.get()::contains).orElse(false));
  }

  private boolean actorMatches(Requester requester) {
    if (actors.isEmpty()) {
      return true;
    }
    for (ActorMatcher a : actors) {
      if (a.matches(requester)) {
        return true;
      }
    }
    return false;
  }

  private static <T> boolean intersects(Set<T> wanted, Set<T> present) {
    for (T t : present) {
      if (wanted.contains(t)) {
        return true;
      }
    }
    return false;
  }

  /** Builds a provision; unset dimensions restrict nothing. */
  public static final class Builder {
    private Optional<String> id = Optional.empty();
    private final Optional<ProvisionType> type;
    private final List<ActorMatcher> actors = new ArrayList<>();
    private Set<ConsentAction> actions = Set.of();
    private Set<Purpose> purposes = Set.of();
    private Set<DataClass> classes = Set.of();
    private Set<Code> codes = Set.of();
    private Optional<Interval> dataPeriod = Optional.empty();
    private Optional<Interval> period = Optional.empty();
    private Set<SecurityLabel> securityLabels = Set.of();
    private Set<InstitutionKind> institutionKinds = Set.of();
    private Set<String> studies = Set.of();
    private final List<Provision> provisions = new ArrayList<>();

    private Builder(Optional<ProvisionType> type) {
      this.type = type;
    }

    public Builder id(String value) {
      this.id = Optional.of(value);
      return this;
    }

    public Builder actor(ActorMatcher actor) {
      actors.add(actor);
      return this;
    }

    public Builder actions(ConsentAction... values) {
      this.actions = Set.of(values);
      return this;
    }

    public Builder purposes(Purpose... values) {
      this.purposes = Set.of(values);
      return this;
    }

    public Builder purposes(Set<Purpose> values) {
      this.purposes = Set.copyOf(values);
      return this;
    }

    public Builder classes(DataClass... values) {
      this.classes = Set.of(values);
      return this;
    }

    public Builder classes(Set<DataClass> values) {
      this.classes = Set.copyOf(values);
      return this;
    }

    public Builder codes(Code... values) {
      this.codes = Set.of(values);
      return this;
    }

    public Builder dataPeriod(Interval value) {
      this.dataPeriod = Optional.of(value);
      return this;
    }

    public Builder period(Interval value) {
      this.period = Optional.of(value);
      return this;
    }

    public Builder securityLabels(SecurityLabel... values) {
      this.securityLabels = Set.of(values);
      return this;
    }

    public Builder securityLabels(Set<SecurityLabel> values) {
      this.securityLabels = Set.copyOf(values);
      return this;
    }

    public Builder institutionKinds(InstitutionKind... values) {
      this.institutionKinds = Set.of(values);
      return this;
    }

    public Builder studies(String... values) {
      this.studies = Set.of(values);
      return this;
    }

    public Builder provision(Provision child) {
      provisions.add(child);
      return this;
    }

    public Builder provisions(List<Provision> children) {
      provisions.clear();
      provisions.addAll(children);
      return this;
    }

    public Provision build() {
      return new Provision(
          id,
          type,
          actors,
          actions,
          purposes,
          classes,
          codes,
          dataPeriod,
          period,
          securityLabels,
          institutionKinds,
          studies,
          provisions);
    }
  }
}

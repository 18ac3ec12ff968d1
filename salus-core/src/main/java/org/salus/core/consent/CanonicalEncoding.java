package org.salus.core.consent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The canonical text of a consent, hashed into its {@link SnapshotHash}. Every string is written as
 * {@code length:chars} so no two consents share an encoding; sets are sorted, children keep their
 * order (order is part of the recorded consent, even where the decision ignores it).
 */
final class CanonicalEncoding {

  private final StringBuilder out = new StringBuilder(256);

  private CanonicalEncoding() {}

  static String of(ConsentVersion v) {
    CanonicalEncoding e = new CanonicalEncoding();
    e.text("salus-consent-v1").text(v.patient()).text(Integer.toString(v.version()));
    e.text(v.recordedAt().toString());
    e.provision(v.root());
    return e.out.toString();
  }

  static String of(NodeDefaults d) {
    CanonicalEncoding e = new CanonicalEncoding();
    e.text("salus-node-defaults-v1").text(d.jurisdiction());
    for (Purpose p : Purpose.values()) {
      e.text(p.code()).text(d.ruleFor(p).name());
    }
    return e.out.toString();
  }

  private CanonicalEncoding text(String s) {
    out.append(s.length()).append(':').append(s);
    return this;
  }

  private void provision(Provision p) {
    out.append('(');
    text(p.id().orElse("")).text(p.type().map(ProvisionType::code).orElse(""));
    sorted(p.actors(), CanonicalEncoding::actor);
    sorted(p.actions(), ConsentAction::code);
    sorted(p.purposes(), Purpose::code);
    sorted(p.classes(), DataClass::code);
    sorted(p.codes(), c -> c.system() + '|' + c.code());
    interval(p.dataPeriod());
    interval(p.period());
    sorted(p.securityLabels(), SecurityLabel::code);
    sorted(p.institutionKinds(), InstitutionKind::code);
    sorted(p.studies(), s -> s);
    out.append('[');
    for (Provision child : p.provisions()) {
      provision(child);
    }
    out.append("])");
  }

  private static String actor(ActorMatcher a) {
    return switch (a) {
      case ActorMatcher.ByReference r -> "ref|" + r.role().code() + '|' + r.reference();
      case ActorMatcher.ByLicence l -> "lic|" + l.licence().issuer() + '|' + l.licence().number();
      case ActorMatcher.ByRoleAndCountry rc -> "rc|" + rc.role().code() + '|' + rc.country();
    };
  }

  private void interval(Optional<Interval> i) {
    text(
        i.map(
                v ->
                    v.start().map(Object::toString).orElse("-")
                        + '/'
                        + v.end().map(Object::toString).orElse("-"))
            .orElse(""));
  }

  private <T> void sorted(Collection<T> values, Function<T, String> key) {
    List<String> keys = new ArrayList<>(values.size());
    for (T v : values) {
      keys.add(key.apply(v));
    }
    keys.sort(null);
    out.append('{');
    keys.forEach(this::text);
    out.append('}');
  }
}

package org.salus.core.consent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A consent in plain words, one sentence per provision, exceptions indented under their parent,
 * followed by the node defaults that apply where the patient made no choice.
 */
public final class ConsentNarrative {

  private ConsentNarrative() {}

  public static List<String> render(Optional<ConsentVersion> consent, NodeDefaults defaults) {
    List<String> lines = new ArrayList<>();
    if (consent.isEmpty()) {
      lines.add("You have not recorded any consent choices.");
    } else {
      ConsentVersion v = consent.get();
      lines.add("Your consent, version " + v.version() + ", recorded " + v.recordedAt() + ":");
      Provision root = v.root();
      if (root.type().isPresent()) {
        lines.add(sentence(root, "  "));
      }
      for (Provision p : root.provisions()) {
        render(p, "  ", lines);
      }
    }
    lines.add(
        "Where you have made no choice, this node's rules for "
            + defaults.jurisdiction()
            + " apply:");
    for (Purpose p : Purpose.values()) {
      lines.add(
          "  "
              + p.display()
              + ": "
              + switch (defaults.ruleFor(p)) {
                case OPT_IN -> "only if you allow it";
                case OPT_OUT -> "allowed unless you refuse";
              });
    }
    return lines;
  }

  private static void render(Provision p, String indent, List<String> lines) {
    lines.add(sentence(p, indent));
    for (Provision c : p.provisions()) {
      render(c, indent + "  except: ", lines);
    }
  }

  private static String sentence(Provision p, String indent) {
    String verb =
        p.type()
            .map(
                t ->
                    switch (t) {
                      case PERMIT -> "You allow";
                      case DENY -> "You refuse";
                    })
            .orElse("About");
    StringBuilder s = new StringBuilder(indent).append(verb);
    s.append(
        p.purposes().isEmpty()
            ? " any use"
            : " use for " + join(p.purposes().stream().map(Purpose::display)));
    if (!p.actors().isEmpty()) {
      s.append(" by ").append(join(p.actors().stream().map(ConsentNarrative::actor)));
    }
    if (!p.institutionKinds().isEmpty()) {
      s.append(" by ").append(join(p.institutionKinds().stream().map(InstitutionKind::display)));
    }
    if (!p.studies().isEmpty()) {
      s.append(" in study ").append(join(p.studies().stream()));
    }
    s.append(" of ")
        .append(
            p.classes().isEmpty()
                ? "all your records"
                : "your " + join(p.classes().stream().map(DataClass::display)));
    if (!p.securityLabels().isEmpty()) {
      s.append(" about ")
          .append(join(p.securityLabels().stream().map(l -> l.category().display()).distinct()));
    }
    p.period()
        .ifPresent(
            i ->
                s.append(i.start().map(t -> " from " + t).orElse(""))
                    .append(i.end().map(t -> " until " + t).orElse("")));
    return s.append('.').toString();
  }

  private static String actor(ActorMatcher a) {
    return switch (a) {
      case ActorMatcher.ByReference r -> r.reference();
      case ActorMatcher.ByLicence l ->
          "the clinician with licence " + l.licence().number() + " from " + l.licence().issuer();
      case ActorMatcher.ByRoleAndCountry rc -> "any " + rc.role().code() + " in " + rc.country();
    };
  }

  private static String join(java.util.stream.Stream<String> parts) {
    return parts.sorted().collect(Collectors.joining(", "));
  }
}

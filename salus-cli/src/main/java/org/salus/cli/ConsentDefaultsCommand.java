package org.salus.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.salus.core.consent.ConsentException;
import org.salus.core.consent.DefaultRule;
import org.salus.core.consent.NodeDefaults;
import org.salus.core.consent.Purpose;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code salus consent defaults}: shows, and with {@code --set} or {@code --jurisdiction} changes,
 * the node's default per purpose where a patient's consent says nothing.
 */
@Command(
    name = "defaults",
    mixinStandardHelpOptions = true,
    description = {
      "Show or set the node's default per purpose, used where a patient's consent says nothing:",
      "opt-in (only if the patient allows it) or opt-out (allowed unless the patient refuses).",
      "A purpose never set is opt-in."
    })
final class ConsentDefaultsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin Reporting reporting;

  @Option(names = "--dir", required = true, description = "The node's directory.")
  Path dir;

  @Option(
      names = "--set",
      paramLabel = "PURPOSE=RULE",
      description =
          "Set a purpose's default, e.g. HRESCH=opt-out (repeatable). Purposes: HL7 v3"
              + " PurposeOfUse codes (TREAT, HRESCH, PUBHLTH, ...); rules: opt-in, opt-out.")
  Map<String, String> set = new LinkedHashMap<>();

  @Option(
      names = "--jurisdiction",
      description = "The jurisdiction the defaults are for (ISO 3166-1 alpha-2, e.g. DK).")
  Optional<String> jurisdiction;

  /** The JSON shape: the jurisdiction, every purpose's rule, and the defaults' snapshot hash. */
  record Result(String jurisdiction, Map<String, String> purposes, String snapshot) {}

  @Override
  public Integer call() {
    Map<Purpose, DefaultRule> changes = parse(set);
    NodeDefaults now;
    try (NodeConsents node = NodeConsents.open(dir)) {
      NodeDefaults before = node.consents().defaults();
      now = before;
      if (!changes.isEmpty() || jurisdiction.isPresent()) {
        Map<Purpose, DefaultRule> rules = new EnumMap<>(Purpose.class);
        for (Purpose p : Purpose.values()) {
          rules.put(p, changes.getOrDefault(p, before.ruleFor(p)));
        }
        now = NodeDefaults.of(jurisdiction.orElse(before.jurisdiction()), rules);
        node.consents().saveDefaults(now, Instant.now());
      }
    }
    Map<String, String> purposes = new LinkedHashMap<>();
    for (Purpose p : Purpose.values()) {
      purposes.put(p.code(), code(now.ruleFor(p)));
    }
    Result result = new Result(now.jurisdiction(), purposes, now.hash().toString());
    reporting.print(spec.commandLine().getOut(), result, text(result));
    return 0;
  }

  private static Map<Purpose, DefaultRule> parse(Map<String, String> set) {
    Map<Purpose, DefaultRule> out = new EnumMap<>(Purpose.class);
    set.forEach(
        (purpose, rule) -> {
          Purpose p =
              Purpose.fromCode(purpose.toUpperCase(Locale.ROOT))
                  .orElseThrow(
                      () ->
                          new ConsentException(
                              "consent.defaults.invalid",
                              "--set: unknown purpose '"
                                  + purpose
                                  + "'; one of "
                                  + Arrays.stream(Purpose.values())
                                      .map(Purpose::code)
                                      .collect(Collectors.joining(", "))));
          out.put(p, rule(rule));
        });
    return out;
  }

  private static DefaultRule rule(String code) {
    for (DefaultRule r : DefaultRule.values()) {
      if (code(r).equals(code.toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw new ConsentException(
        "consent.defaults.invalid", "--set: rule '" + code + "' is neither opt-in nor opt-out");
  }

  static String code(DefaultRule r) {
    return r.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static String text(Result r) {
    StringBuilder sb = new StringBuilder("Defaults for " + r.jurisdiction() + "\n\n");
    r.purposes()
        .forEach(
            (p, rule) ->
                sb.append(
                    String.format(
                        Locale.ROOT,
                        "  %-9s %-8s %s%n",
                        p,
                        rule,
                        Purpose.fromCode(p).map(Purpose::display).orElse(""))));
    return sb.append("\nsnapshot ").append(r.snapshot()).append('\n').toString();
  }
}

package org.salus.store.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.salus.core.error.SalusException;
import org.salus.core.record.Code;
import org.salus.core.record.Sex;
import org.salus.core.stats.GlmFamily;
import org.salus.core.study.AgeRange;
import org.salus.core.study.Analysis;
import org.salus.core.study.Cohort;
import org.salus.core.study.Criterion;
import org.salus.core.study.Endpoint;
import org.salus.core.study.IndexDate;
import org.salus.core.study.PrivacyParameters;
import org.salus.core.study.Study;
import org.salus.core.study.StudyPurpose;
import org.salus.core.study.StudyValidator;
import org.salus.core.study.Variable;
import org.salus.core.study.Window;

/**
 * Reads a study document (JSON; schema in docs/studies.md) into the core's {@link Study}, then
 * validates it. Every error is {@code study.invalid} and names the field, for example {@code
 * analyses[1].family: expected one of gaussian, binomial, poisson}.
 */
public final class StudyJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper YAML = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();

  private StudyJson() {}

  /**
   * Reads a study document in JSON or, when its first character is not <code>{</code>, in YAML (the
   * same fields; YAML is read into the same tree, so every error names the same path).
   */
  public static Study read(String json) {
    boolean isJson = json.strip().startsWith("{");
    JsonField root;
    try {
      root = new JsonField("", (isJson ? MAPPER : YAML).readTree(json));
    } catch (JsonProcessingException e) {
      throw new SalusException(
          StudyValidator.INVALID,
          "not valid "
              + (isJson ? "JSON" : "YAML")
              + " at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr());
    }
    if (root.node() == null || !root.node().isObject()) {
      throw new SalusException(
          StudyValidator.INVALID, "a study document is a JSON object or a YAML mapping");
    }
    root.only(
        Set.of("id", "title", "purpose", "cohort", "analyses", "nodes", "minNodes", "privacy"));
    JsonField purpose = root.required("purpose");
    Study study =
        new Study(
            root.required("id").text(),
            root.required("title").text(),
            StudyPurpose.fromCode(purpose.text())
                .orElseThrow(
                    () ->
                        purpose.error(
                            "unknown purpose of use (HL7 v3 PurposeOfUse code, e.g. HRESCH)")),
            cohort(root.required("cohort")),
            root.required("analyses").list(StudyJson::analysis),
            root.required("nodes").list(JsonField::text),
            root.optional("privacy").map(StudyJson::privacy).orElse(PrivacyParameters.defaults()),
            root.optional("minNodes").map(JsonField::integer).orElse(1));
    return StudyValidator.requireValid(study);
  }

  private static PrivacyParameters privacy(JsonField f) {
    f.only(
        Set.of("minCellSize", "rho", "bounds", "followUpDays", "glmRounds", "secureAggregation"));
    java.util.SortedMap<String, org.salus.core.dp.Clamp> bounds = new java.util.TreeMap<>();
    f.optional("bounds")
        .ifPresent(
            b -> {
              if (!b.node().isObject()) {
                throw b.error("expected an object of variable name to {lower, upper}");
              }
              b.node()
                  .fieldNames()
                  .forEachRemaining(name -> bounds.put(name, clamp(b.required(name))));
            });
    boolean secure = false;
    boolean oneTrip = true;
    java.util.OptionalInt threshold = java.util.OptionalInt.empty();
    Optional<JsonField> sa = f.optional("secureAggregation");
    if (sa.isPresent()) {
      JsonField a = sa.get();
      if (a.node().isBoolean()) {
        secure = a.bool();
      } else if (a.node().isObject()) {
        a.only(Set.of("threshold", "rounds"));
        secure = true;
        threshold =
            a.optional("threshold")
                .map(t -> java.util.OptionalInt.of(t.integer()))
                .orElse(java.util.OptionalInt.empty());
        Optional<JsonField> rounds = a.optional("rounds");
        if (rounds.isPresent()) {
          oneTrip =
              switch (rounds.get().text()) {
                case "one-trip" -> true;
                case "classic" -> false;
                default -> throw rounds.get().error("expected \"one-trip\" or \"classic\"");
              };
        }
      } else {
        throw a.error("expected true, false or {\"threshold\": t, \"rounds\": ...}");
      }
    }
    return new PrivacyParameters(
        f.optional("minCellSize")
            .map(JsonField::integer)
            .orElse(PrivacyParameters.DEFAULT_MIN_CELL_SIZE),
        f.optional("rho").map(r -> OptionalDouble.of(r.number())).orElse(OptionalDouble.empty()),
        bounds,
        f.optional("followUpDays")
            .map(d -> java.util.OptionalInt.of(d.integer()))
            .orElse(java.util.OptionalInt.empty()),
        f.optional("glmRounds")
            .map(JsonField::integer)
            .orElse(PrivacyParameters.DEFAULT_GLM_ROUNDS),
        secure,
        threshold,
        oneTrip);
  }

  private static org.salus.core.dp.Clamp clamp(JsonField f) {
    f.only(Set.of("lower", "upper"));
    double lower = f.required("lower").number();
    double upper = f.required("upper").number();
    if (!(lower < upper) || !Double.isFinite(lower) || !Double.isFinite(upper)) {
      throw f.error("lower must be below upper, both finite");
    }
    return new org.salus.core.dp.Clamp(lower, upper);
  }

  private static Cohort cohort(JsonField f) {
    f.only(Set.of("indexDate", "inclusion", "exclusion", "age", "sexes"));
    return new Cohort(
        indexDate(f.required("indexDate")),
        f.optional("inclusion").map(l -> l.list(StudyJson::criterion)).orElse(List.of()),
        f.optional("exclusion").map(l -> l.list(StudyJson::criterion)).orElse(List.of()),
        f.optional("age")
            .map(
                a -> {
                  a.only(Set.of("min", "max"));
                  return new AgeRange(
                      a.optional("min").map(JsonField::integer).orElse(0),
                      a.optional("max").map(JsonField::integer).orElse(200));
                }),
        f.optional("sexes").map(l -> l.list(StudyJson::sex)).orElse(List.of()));
  }

  private static Sex sex(JsonField f) {
    try {
      return Sex.fromFhir(f.text());
    } catch (IllegalArgumentException e) {
      throw f.error("expected female, male, other or unknown");
    }
  }

  private static IndexDate indexDate(JsonField f) {
    f.only(Set.of("fixed", "firstCondition"));
    Optional<JsonField> fixed = f.optional("fixed");
    Optional<JsonField> first = f.optional("firstCondition");
    if (fixed.isPresent() == first.isPresent()) {
      throw f.error("give exactly one of fixed, firstCondition");
    }
    return fixed
        .<IndexDate>map(d -> new IndexDate.Fixed(d.date()))
        .orElseGet(() -> new IndexDate.FirstCondition(first.get().list(StudyJson::code)));
  }

  static Code code(JsonField f) {
    f.only(Set.of("system", "code"));
    return new Code(f.required("system").text(), f.required("code").text());
  }

  private static Window window(JsonField f, Window fallback) {
    return f.optional("window")
        .map(
            w -> {
              w.only(Set.of("from", "to"));
              return new Window(w.required("from").integer(), w.required("to").integer());
            })
        .orElse(fallback);
  }

  private static String type(JsonField f, Set<String> fields) {
    f.only(fields);
    return f.required("type").text();
  }

  private static Criterion criterion(JsonField f) {
    String type = type(f, Set.of("type", "codes", "code", "min", "max", "window"));
    return switch (type) {
      case "condition" ->
          new Criterion.HasCondition(
              f.required("codes").list(StudyJson::code), window(f, Window.untilIndex()));
      case "drug" ->
          new Criterion.HasDrug(
              f.required("codes").list(StudyJson::code), window(f, Window.untilIndex()));
      case "measurement" ->
          new Criterion.HasMeasurement(
              code(f.required("code")),
              f.optional("min").map(JsonField::number),
              f.optional("max").map(JsonField::number),
              window(f, Window.untilIndex()));
      default -> throw f.required("type").error("expected condition, drug or measurement");
    };
  }

  static Variable variable(JsonField f) {
    String type = type(f, Set.of("type", "name", "codes", "code", "window", "width", "sex"));
    return switch (type) {
      case "age" -> new Variable.Age();
      case "ageBand" ->
          new Variable.AgeBand(f.optional("width").map(JsonField::integer).orElse(10));
      case "sex" -> new Variable.SexLabel();
      case "sexIs" -> new Variable.SexIs(sex(f.required("sex")));
      case "hasCondition" ->
          new Variable.HasCondition(
              f.required("name").text(),
              f.required("codes").list(StudyJson::code),
              window(f, Window.untilIndex()));
      case "conditionCount" ->
          new Variable.ConditionCount(
              f.required("name").text(),
              f.required("codes").list(StudyJson::code),
              window(f, Window.untilIndex()));
      case "measurement" ->
          new Variable.MeasurementValue(
              f.required("name").text(), code(f.required("code")), window(f, new Window(-365, 0)));
      default ->
          throw f.required("type")
              .error(
                  "expected age, ageBand, sex, sexIs, hasCondition, conditionCount or measurement");
    };
  }

  private static Endpoint endpoint(JsonField f) {
    f.only(Set.of("conditions", "death", "cutoff"));
    return new Endpoint(
        f.optional("conditions").map(l -> l.list(StudyJson::code)).orElse(List.of()),
        f.optional("death").map(JsonField::bool).orElse(false),
        f.required("cutoff").date());
  }

  private static Analysis analysis(JsonField f) {
    String type =
        type(
            f,
            Set.of(
                "type",
                "variable",
                "edges",
                "rows",
                "columns",
                "min",
                "max",
                "bins",
                "probabilities",
                "family",
                "outcome",
                "covariates",
                "endpoint",
                "group",
                "binDays"));
    return switch (type) {
      case "count" -> new Analysis.Count();
      case "summary" -> new Analysis.Summary(variable(f.required("variable")));
      case "histogram" ->
          new Analysis.Histogram(
              variable(f.required("variable")), f.required("edges").list(JsonField::number));
      case "contingency" ->
          new Analysis.Contingency(variable(f.required("rows")), variable(f.required("columns")));
      case "quantiles" ->
          new Analysis.Quantiles(
              variable(f.required("variable")),
              f.required("min").number(),
              f.required("max").number(),
              f.optional("bins").map(JsonField::integer).orElse(1000),
              f.optional("probabilities")
                  .map(l -> l.list(JsonField::number))
                  .orElse(List.of(0.25, 0.5, 0.75)));
      case "glm" ->
          new Analysis.Glm(
              family(f.required("family")),
              variable(f.required("outcome")),
              f.optional("covariates").map(l -> l.list(StudyJson::variable)).orElse(List.of()));
      case "kaplanMeier" ->
          new Analysis.KaplanMeier(
              endpoint(f.required("endpoint")),
              f.optional("group").map(StudyJson::variable),
              f.optional("binDays").map(JsonField::integer).orElse(30));
      case "cox" ->
          new Analysis.Cox(
              endpoint(f.required("endpoint")),
              f.required("covariates").list(StudyJson::variable),
              f.optional("binDays").map(JsonField::integer).orElse(30));
      default ->
          throw f.required("type")
              .error(
                  "expected count, summary, histogram, contingency, quantiles, glm, kaplanMeier or"
                      + " cox");
    };
  }

  private static GlmFamily family(JsonField f) {
    String name = f.text();
    for (GlmFamily family : GlmFamily.values()) {
      if (family.label().equals(name.toLowerCase(Locale.ROOT))) {
        return family;
      }
    }
    throw f.error("expected one of gaussian, binomial, poisson");
  }
}

package org.salus.store.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.salus.core.error.SalusException;
import org.salus.core.study.StudyPurpose;
import org.salus.core.study.governance.StudyPolicy;

/**
 * Reads a node's study policy file ({@code study-policy.json}; schema in docs/studies.md). Every
 * error is {@code policy.invalid} and names the field, for example {@code
 * autoApprove[0].purposes[1]: unknown purpose XYZ}. Fields left out keep {@link
 * StudyPolicy#defaults()}.
 */
public final class StudyPolicyJson {

  /** Stable code of every error in a policy file. */
  public static final String INVALID = "policy.invalid";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> ANALYSIS_TYPES =
      Set.of(
          "count", "summary", "histogram", "contingency", "quantiles", "glm", "kaplanMeier", "cox");

  private StudyPolicyJson() {}

  public static StudyPolicy read(String json) {
    try {
      return parse(json);
    } catch (SalusException e) {
      throw new SalusException(INVALID, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new SalusException(INVALID, e.getMessage());
    }
  }

  private static StudyPolicy parse(String json) {
    JsonField root;
    try {
      root = new JsonField("", MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new SalusException(
          INVALID,
          "not valid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr());
    }
    if (root.node() == null || !root.node().isObject()) {
      throw new SalusException(INVALID, "a study policy is a JSON object");
    }
    root.only(
        Set.of(
            "allowedPurposes",
            "autoApprove",
            "minCellSize",
            "maxStudiesPerResearcher",
            "maxRhoPerStudy"));
    StudyPolicy d = StudyPolicy.defaults();
    Set<StudyPurpose> allowed =
        root.optional("allowedPurposes").map(StudyPolicyJson::purposes).orElse(d.allowedPurposes());
    List<StudyPolicy.AutoApproval> auto =
        root.optional("autoApprove")
            .map(f -> f.list(StudyPolicyJson::rule))
            .orElse(d.autoApprove());
    int minCell = root.optional("minCellSize").map(f -> atLeast(f, 1)).orElse(d.minCellSize());
    int maxStudies =
        root.optional("maxStudiesPerResearcher")
            .map(f -> atLeast(f, 1))
            .orElse(d.maxStudiesPerResearcher());
    OptionalDouble maxRho =
        root.optional("maxRhoPerStudy")
            .map(
                f -> {
                  double v = f.number();
                  if (!(v > 0) || Double.isInfinite(v)) {
                    throw f.error("must be a finite number above 0");
                  }
                  return OptionalDouble.of(v);
                })
            .orElse(d.maxRhoPerStudy());
    return new StudyPolicy(allowed, auto, minCell, maxStudies, maxRho);
  }

  private static int atLeast(JsonField f, int min) {
    int v = f.integer();
    if (v < min) {
      throw f.error("must be at least " + min);
    }
    return v;
  }

  private static StudyPolicy.AutoApproval rule(JsonField f) {
    f.object().only(Set.of("purposes", "institutions", "analysisTypes"));
    Set<StudyPurpose> purposes =
        f.optional("purposes").map(StudyPolicyJson::purposes).orElse(Set.of());
    Set<String> institutions =
        f.optional("institutions")
            .map(x -> (Set<String>) new HashSet<>(x.list(JsonField::text)))
            .orElse(Set.of());
    Set<String> types =
        f.optional("analysisTypes")
            .map(
                x ->
                    (Set<String>)
                        new HashSet<>(
                            x.list(
                                t -> {
                                  String type = t.text();
                                  if (!ANALYSIS_TYPES.contains(type)) {
                                    throw t.error(
                                        "unknown analysis type "
                                            + type
                                            + "; expected one of "
                                            + ANALYSIS_TYPES.stream().sorted().toList());
                                  }
                                  return type;
                                })))
            .orElse(Set.of());
    return new StudyPolicy.AutoApproval(purposes, institutions, types);
  }

  private static Set<StudyPurpose> purposes(JsonField f) {
    List<StudyPurpose> list =
        f.list(
            p -> {
              String code = p.text();
              return StudyPurpose.fromCode(code)
                  .orElseThrow(() -> p.error("unknown purpose " + code));
            });
    return list.isEmpty() ? Set.of() : EnumSet.copyOf(list);
  }
}

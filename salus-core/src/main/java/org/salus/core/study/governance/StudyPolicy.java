package org.salus.core.study.governance;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.salus.core.disclosure.DisclosurePolicy;
import org.salus.core.study.Study;
import org.salus.core.study.StudyPurpose;

/**
 * A node's study policy, set by its steward (file {@code study-policy.json}, docs/studies.md): the
 * purposes the node takes studies for, the rules under which a study is approved without the
 * steward, the node's minimum cell size, and limits per researcher.
 *
 * <p>{@link #evaluate} is deterministic and checks in a fixed order: a purpose the node does not
 * allow is rejected; a researcher at their limit of studies is rejected; a study asking for more ρ
 * than the node allows per study is rejected; then the first auto-approval rule that matches
 * approves; anything else waits for the steward.
 *
 * @param allowedPurposes the purposes the node takes studies for
 * @param autoApprove rules that approve a study without the steward, tried in order
 * @param minCellSize the node's minimum cell size; a study may ask for more, never for less
 * @param maxStudiesPerResearcher how many studies one researcher may have pending or approved here
 * @param maxRhoPerStudy the most zCDP ρ one study may spend at this node, when set
 */
public record StudyPolicy(
    Set<StudyPurpose> allowedPurposes,
    List<AutoApproval> autoApprove,
    int minCellSize,
    int maxStudiesPerResearcher,
    OptionalDouble maxRhoPerStudy) {

  /** Stable code: the study's purpose is not one the node allows. */
  public static final String PURPOSE_NOT_ALLOWED = "policy.purpose-not-allowed";

  /** Stable code: the researcher has as many studies at the node as the policy allows. */
  public static final String RESEARCHER_LIMIT = "policy.researcher-limit";

  /** Stable code: the study asks for more privacy budget than the node allows per study. */
  public static final String RHO_LIMIT = "policy.rho-limit";

  public StudyPolicy {
    allowedPurposes =
        allowedPurposes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(allowedPurposes));
    autoApprove = List.copyOf(autoApprove);
    if (minCellSize < 1) {
      throw new IllegalArgumentException("minCellSize must be at least 1");
    }
    if (maxStudiesPerResearcher < 1) {
      throw new IllegalArgumentException("maxStudiesPerResearcher must be at least 1");
    }
    Objects.requireNonNull(maxRhoPerStudy, "maxRhoPerStudy");
    if (maxRhoPerStudy.isPresent() && !(maxRhoPerStudy.getAsDouble() > 0)) {
      throw new IllegalArgumentException("maxRhoPerStudy must be above 0");
    }
  }

  /**
   * What a node has before its steward writes a policy: research and public health only, every
   * study decided by the steward, minimum cell size 5, 20 studies per researcher.
   */
  public static StudyPolicy defaults() {
    return new StudyPolicy(
        EnumSet.of(StudyPurpose.HRESCH, StudyPurpose.PUBHLTH),
        List.of(),
        DisclosurePolicy.DEFAULT_MIN_CELL_SIZE,
        20,
        OptionalDouble.empty());
  }

  /** The node's disclosure limits under this policy. */
  public DisclosurePolicy disclosure() {
    return new DisclosurePolicy(minCellSize, DisclosurePolicy.DEFAULT_MAX_PARAMETER_RATIO);
  }

  /**
   * Decides a proposed study.
   *
   * @param institution the researcher's institution as their credential disclosed it, if it did
   * @param researcherStudies the researcher's studies already pending or approved at this node
   */
  public Verdict evaluate(Study study, Optional<String> institution, long researcherStudies) {
    if (!allowedPurposes.contains(study.purpose())) {
      return new Verdict.Rejected(
          PURPOSE_NOT_ALLOWED,
          "this node takes studies for "
              + allowedPurposes.stream().map(StudyPurpose::code).sorted().toList()
              + ", not "
              + study.purpose().code(),
          remedy(PURPOSE_NOT_ALLOWED).orElseThrow());
    }
    if (researcherStudies >= maxStudiesPerResearcher) {
      return new Verdict.Rejected(
          RESEARCHER_LIMIT,
          "the researcher already has "
              + researcherStudies
              + " studies at this node, the most its policy allows",
          remedy(RESEARCHER_LIMIT).orElseThrow());
    }
    if (maxRhoPerStudy.isPresent()
        && study.privacy().rho().isPresent()
        && study.privacy().rho().getAsDouble() > maxRhoPerStudy.getAsDouble()) {
      return new Verdict.Rejected(
          RHO_LIMIT,
          "the study asks for ρ = "
              + study.privacy().rho().getAsDouble()
              + ", more than the "
              + maxRhoPerStudy.getAsDouble()
              + " this node allows per study",
          remedy(RHO_LIMIT).orElseThrow());
    }
    for (int i = 0; i < autoApprove.size(); i++) {
      if (autoApprove.get(i).matches(study, institution)) {
        return new Verdict.Approved("autoApprove[" + i + "]");
      }
    }
    return new Verdict.Pending();
  }

  /** What a researcher can do about a rejection with the given code, where the policy knows. */
  public static Optional<String> remedy(String code) {
    return Optional.ofNullable(
        switch (code) {
          case PURPOSE_NOT_ALLOWED -> "ask the node's steward, or leave this node out of the study";
          case RESEARCHER_LIMIT -> "finish or withdraw an earlier study, or ask the node's steward";
          case RHO_LIMIT -> "ask for less ρ";
          default -> null;
        });
  }

  /**
   * A rule that approves a study without the steward when every condition holds; an empty set means
   * "any".
   *
   * @param purposes the study's purpose is one of these
   * @param institutions the researcher's disclosed institution is one of these
   * @param analysisTypes every analysis of the study is one of these types ({@code count}, {@code
   *     glm}, ...)
   */
  public record AutoApproval(
      Set<StudyPurpose> purposes, Set<String> institutions, Set<String> analysisTypes) {

    public AutoApproval {
      purposes = Set.copyOf(purposes);
      institutions = Set.copyOf(institutions);
      analysisTypes = Set.copyOf(analysisTypes);
    }

    boolean matches(Study study, Optional<String> institution) {
      return (purposes.isEmpty() || purposes.contains(study.purpose()))
          && (institutions.isEmpty() || institution.filter(institutions::contains).isPresent())
          && (analysisTypes.isEmpty()
              || study.analyses().stream()
                  .map(org.salus.core.study.run.StudyCoordinator::typeOf)
                  .allMatch(analysisTypes::contains));
    }
  }

  /** The outcome of {@link #evaluate}. */
  public sealed interface Verdict {

    /** Approved without the steward, by the named rule. */
    record Approved(String rule) implements Verdict {}

    /** Left to the steward. */
    record Pending() implements Verdict {}

    /** Refused by the policy: a stable code, why (no data), and what the researcher can do. */
    record Rejected(String code, String reason, String remedy) implements Verdict {}
  }
}

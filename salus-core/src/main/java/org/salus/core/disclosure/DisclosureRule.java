package org.salus.core.disclosure;

/**
 * The node-side disclosure rules, each with a stable code and what a researcher can do about it.
 */
public enum DisclosureRule {
  /** A count, cell or bin between 1 and the minimum cell size − 1. */
  MIN_CELL_SIZE(
      "disclosure.min-cell-size",
      "widen the cohort, merge categories or use wider bins so every count is 0 or at least the minimum"),
  /** A model with more parameters than 0.33 × the node's N. */
  GLM_SATURATION(
      "disclosure.glm-saturation", "use fewer covariates or a larger cohort at this node"),
  /** A level of a binary outcome or covariate with fewer persons than the minimum. */
  BINARY_LEVEL(
      "disclosure.binary-level",
      "drop or merge the rare binary variable, or widen the cohort at this node"),
  /** A table whose row, column or grand total is between 1 and the minimum − 1. */
  SINGLES_OUT(
      "disclosure.singles-out",
      "merge the sparse rows or columns, or widen the cohort at this node");

  private final String code;
  private final String remedy;

  DisclosureRule(String code, String remedy) {
    this.code = code;
    this.remedy = remedy;
  }

  /** The stable code, for example {@code disclosure.min-cell-size}. */
  public String code() {
    return code;
  }

  /** What the researcher can change so the step is released. */
  public String remedy() {
    return remedy;
  }
}

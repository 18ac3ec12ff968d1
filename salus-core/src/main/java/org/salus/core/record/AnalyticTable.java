package org.salus.core.record;

import java.util.Locale;

/** The node's analytic tables, named as in OMOP CDM v5.4. */
public enum AnalyticTable {
  PERSON,
  OBSERVATION_PERIOD,
  VISIT_OCCURRENCE,
  CONDITION_OCCURRENCE,
  DRUG_EXPOSURE,
  PROCEDURE_OCCURRENCE,
  MEASUREMENT,
  OBSERVATION,
  DEATH;

  /** The SQL table name, for example {@code condition_occurrence}. */
  public String tableName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

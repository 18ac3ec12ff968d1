package org.salus.core.consent;

/** A node's rule for a purpose where the patient's consent says nothing. */
public enum DefaultRule {
  /** Permitted only where the patient permits: silence denies. */
  OPT_IN,
  /** Permitted unless the patient denies: silence permits. */
  OPT_OUT
}

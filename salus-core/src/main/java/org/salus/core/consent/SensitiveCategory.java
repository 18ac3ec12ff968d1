package org.salus.core.consent;

import java.util.EnumSet;
import java.util.Set;

/** The sensitive categories a patient chooses about, each a set of {@link SecurityLabel}s. */
public enum SensitiveCategory {
  MENTAL_HEALTH("mental health"),
  SEXUAL_HEALTH("sexual and reproductive health"),
  SUBSTANCE_USE("substance use"),
  GENETICS("genetics"),
  VIOLENCE("sexual assault, abuse or domestic violence");

  private final String display;

  SensitiveCategory(String display) {
    this.display = display;
  }

  public String display() {
    return display;
  }

  /** The labels that mark a record as belonging to this category. */
  public Set<SecurityLabel> labels() {
    Set<SecurityLabel> labels = EnumSet.noneOf(SecurityLabel.class);
    for (SecurityLabel l : SecurityLabel.values()) {
      if (l.category() == this) {
        labels.add(l);
      }
    }
    return Set.copyOf(labels);
  }
}

package org.salus.core.study;

/** Age in whole years at the index date, both ends included. */
public record AgeRange(int min, int max) {}

package org.salus.core.stats;

/**
 * What a node may send for one analysis step: sums over its cohort, never rows. Summing the same
 * statistic over nodes gives the statistic of the pooled data.
 */
public sealed interface Statistic
    permits CohortSize, Moments, BinCounts, CrossTable, GlmStatistics, RiskTable, CoxStatistics {}

package org.salus.core.record;

/**
 * One row of the node's analytic tables (modelled on OMOP CDM v5.4). Every row holds pseudonymous
 * keys only: {@code personKey} and {@code recordKey} are keyed hashes computed at the node, so the
 * tables carry no names, addresses, telecom, identifiers or free text.
 *
 * <p>{@code recordKey} identifies the source record (resource type and id, or message and segment)
 * so that loading the same data twice changes nothing.
 */
public sealed interface ClinicalRecord
    permits Person,
        ObservationPeriod,
        VisitOccurrence,
        ConditionOccurrence,
        DrugExposure,
        ProcedureOccurrence,
        Measurement,
        Observation,
        Death {

  /** The pseudonymous key of the source record; stable within a node. */
  String recordKey();

  /** The pseudonymous key of the person the record belongs to. */
  String personKey();

  /** The analytic table this record lands in. */
  AnalyticTable table();
}

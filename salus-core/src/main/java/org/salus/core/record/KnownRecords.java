package org.salus.core.record;

import java.util.Optional;

/**
 * What the node already holds, for resolving references that point outside the file being read (an
 * NDJSON export keeps patients and their observations in different files). Implemented by the
 * store; an ingest that finds neither the target in its own file nor here reports a dangling
 * reference.
 */
public interface KnownRecords {

  /** The person key of the person whose source record has this record key, if stored. */
  Optional<String> personKeyOf(String personRecordKey);

  /** Whether a visit with this record key is stored. */
  boolean hasVisit(String visitRecordKey);

  /** Nothing is known: a node with an empty store. */
  static KnownRecords none() {
    return new KnownRecords() {
      @Override
      public Optional<String> personKeyOf(String personRecordKey) {
        return Optional.empty();
      }

      @Override
      public boolean hasVisit(String visitRecordKey) {
        return false;
      }
    };
  }
}

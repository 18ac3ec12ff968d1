package org.salus.core.consent;

import java.util.Objects;

/** One question to the decision point: may this request touch this record? */
public record AccessRequest(RequestContext context, RecordFacts record) {
  public AccessRequest {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(record, "record");
  }
}

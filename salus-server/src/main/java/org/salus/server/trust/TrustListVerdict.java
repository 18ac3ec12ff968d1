package org.salus.server.trust;

import org.salus.core.trust.TrustList;
import org.salus.core.trust.TrustListRefusal;

/** The outcome of offering a signed trust list to a node. */
public sealed interface TrustListVerdict {

  record Accepted(TrustList list) implements TrustListVerdict {}

  record Refused(TrustListRefusal refusal) implements TrustListVerdict {}
}

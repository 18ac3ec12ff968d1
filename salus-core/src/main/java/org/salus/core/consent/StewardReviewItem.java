package org.salus.core.consent;

import java.time.Instant;

/** A break-glass access waiting for the steward's review. */
public record StewardReviewItem(
    String accessId, String patient, String requesterReference, String reason, Instant openedAt) {}

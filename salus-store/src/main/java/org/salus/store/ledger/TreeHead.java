package org.salus.store.ledger;

import org.salus.core.ledger.merkle.Hash;

/** The size and root hash of the committed tree. */
public record TreeHead(long size, Hash root) {}

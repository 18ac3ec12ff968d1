package org.salus.core.ledger.event;

import org.salus.core.ledger.merkle.Hash;

/**
 * The patient an event concerns, as {@code HMAC-SHA256(salt, person key)} with a salt per patient
 * (see {@link SubjectSalt}). Erasing the salt unlinks every entry from the patient while the tree
 * stays valid.
 */
public record SubjectId(Hash hash) {}

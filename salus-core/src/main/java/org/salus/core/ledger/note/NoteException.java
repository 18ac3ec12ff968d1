package org.salus.core.ledger.note;

import org.salus.core.error.SalusException;

/**
 * A signed note, key or checkpoint was malformed ({@code ledger.note.malformed}) or a signature did
 * not verify ({@code ledger.note.bad-signature}, which says no more than that).
 */
public final class NoteException extends SalusException {

  private static final long serialVersionUID = 1L;

  private NoteException(String code, String message) {
    super(code, message);
  }

  static NoteException malformed(String message) {
    return new NoteException("ledger.note.malformed", message);
  }

  static NoteException badSignature(String message) {
    return new NoteException("ledger.note.bad-signature", message);
  }
}

package org.salus.core.ledger.note;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP signed note (c2sp.org/signed-note): a UTF-8 text ending in a newline, an empty line, then
 * one or more signature lines {@code — <name> base64(key ID || signature)}.
 */
public record Note(String text, List<NoteSignature> signatures) {

  private static final String DASH = "\u2014 ";

  public Note {
    if (text.isEmpty() || !text.endsWith("\n")) {
      throw NoteException.malformed("a note's text ends with a newline");
    }
    signatures = List.copyOf(signatures);
  }

  /** Parses a note; signatures are read, not verified. */
  public static Note parse(String note) {
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw NoteException.malformed("a signed note has an empty line before its signatures");
    }
    String text = note.substring(0, split + 1);
    String block = note.substring(split + 2);
    if (!block.endsWith("\n")) {
      throw NoteException.malformed("a signed note ends with a newline");
    }
    List<NoteSignature> sigs = new ArrayList<>();
    for (String line : block.substring(0, block.length() - 1).split("\n", -1)) {
      sigs.add(parseLine(line));
    }
    return new Note(text, sigs);
  }

  private static NoteSignature parseLine(String line) {
    if (!line.startsWith(DASH)) {
      throw NoteException.malformed("a signature line starts with an em dash and a space");
    }
    String[] parts = line.substring(DASH.length()).split(" ", -1);
    if (parts.length != 2) {
      throw NoteException.malformed("a signature line is a name and a base64 signature");
    }
    byte[] payload;
    try {
      payload = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw NoteException.malformed("signature of " + parts[0] + " is not base64");
    }
    if (payload.length < 5) {
      throw NoteException.malformed("signature of " + parts[0] + " is too short");
    }
    int keyId =
        (payload[0] & 0xff) << 24
            | (payload[1] & 0xff) << 16
            | (payload[2] & 0xff) << 8
            | (payload[3] & 0xff);
    byte[] sig = java.util.Arrays.copyOfRange(payload, 4, payload.length);
    return NoteSignature.of(parts[0], keyId, sig);
  }

  /** The note as text: body, empty line, signature lines. */
  public String encode() {
    StringBuilder b = new StringBuilder(text).append('\n');
    for (NoteSignature s : signatures) {
      b.append(s.line()).append('\n');
    }
    return b.toString();
  }

  /** This note with one more signature line. */
  public Note with(NoteSignature signature) {
    List<NoteSignature> all = new ArrayList<>(signatures);
    all.add(signature);
    return new Note(text, all);
  }
}

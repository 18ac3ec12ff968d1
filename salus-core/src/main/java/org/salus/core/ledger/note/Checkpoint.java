package org.salus.core.ledger.note;

import java.util.ArrayList;
import java.util.List;
import org.salus.core.ledger.merkle.Hash;

/**
 * The body of a C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the log's origin line, the tree
 * size in decimal, the base64 root hash, then optional non-empty extension lines.
 */
public record Checkpoint(String origin, long size, Hash root, List<String> extensions) {

  public Checkpoint {
    if (origin.isEmpty() || origin.contains("\n")) {
      throw NoteException.malformed("a checkpoint origin is one non-empty line");
    }
    if (size < 0) {
      throw NoteException.malformed("a checkpoint size is not negative, got " + size);
    }
    extensions = List.copyOf(extensions);
    for (String e : extensions) {
      if (e.isEmpty() || e.contains("\n")) {
        throw NoteException.malformed("a checkpoint extension is one non-empty line");
      }
    }
  }

  public Checkpoint(String origin, long size, Hash root) {
    this(origin, size, root, List.of());
  }

  /** The note text: each line followed by a newline. */
  public String body() {
    StringBuilder b = new StringBuilder();
    b.append(origin).append('\n').append(size).append('\n').append(root.base64()).append('\n');
    extensions.forEach(e -> b.append(e).append('\n'));
    return b.toString();
  }

  /** Parses a checkpoint body (the text of its note). */
  public static Checkpoint parse(String body) {
    if (!body.endsWith("\n")) {
      throw NoteException.malformed("a checkpoint body ends with a newline");
    }
    String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw NoteException.malformed("a checkpoint has an origin, a size and a root hash");
    }
    if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
      throw NoteException.malformed("checkpoint size is not a decimal without leading zeros");
    }
    Hash root;
    try {
      root = Hash.fromBase64(lines[2]);
    } catch (IllegalArgumentException e) {
      throw NoteException.malformed("checkpoint root is not a base64 SHA-256 hash");
    }
    List<String> ext = new ArrayList<>(List.of(lines).subList(3, lines.length));
    return new Checkpoint(lines[0], Long.parseLong(lines[1]), root, ext);
  }
}

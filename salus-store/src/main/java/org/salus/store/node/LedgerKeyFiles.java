package org.salus.store.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.salus.core.keys.SecretBytes;
import org.salus.core.ledger.note.NoteSigner;
import org.salus.core.ledger.note.VerifierKey;
import org.salus.store.StoreException;

/**
 * The ledger's own key files in {@code D/ledger/}, next to the node's keys.json. Before the first
 * rotation there are none and the log is signed with the node's signing key.
 *
 * <ul>
 *   <li>{@code signing-key}: the current checkpoint key ({@code PRIVATE+KEY+...}, owner-only);
 *   <li>{@code next-signing-key}: the key a rotation in progress hands over to, until the handover
 *       checkpoint is stored;
 *   <li>{@code key-history}: one public line per rotation, {@code <entry index> <vkey>}: the {@code
 *       KeyRotation} entry and the key that signs every checkpoint larger than index + 1.
 * </ul>
 *
 * Every file is written to a temporary name, forced to disk and renamed over the old one, so a
 * crash leaves either the old or the new content.
 */
final class LedgerKeyFiles {

  static final String DIR = "ledger";
  static final String CURRENT = "signing-key";
  static final String NEXT = "next-signing-key";
  static final String HISTORY = "key-history";

  /** One rotation: the index of its entry and the key it hands over to. */
  record Rotation(long index, VerifierKey key) {}

  private final Path dir;
  private final String origin;

  LedgerKeyFiles(Path nodeDir, String origin) {
    this.dir = nodeDir.resolve(DIR);
    this.origin = origin;
  }

  Optional<NoteSigner> current() {
    return signer(CURRENT);
  }

  Optional<NoteSigner> next() {
    return signer(NEXT);
  }

  void writeNext(NoteSigner key) {
    write(NEXT, key.encode().toByteArray(), true);
  }

  /** The handover is stored: the next key becomes the current one (the old one is gone). */
  void promoteNext() {
    move(dir.resolve(NEXT), dir.resolve(CURRENT));
  }

  List<Rotation> history() {
    Path file = dir.resolve(HISTORY);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    List<Rotation> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        String[] p = line.strip().split(" ", 2);
        out.add(new Rotation(Long.parseLong(p[0]), VerifierKey.parse(p[1])));
      }
    } catch (IOException | RuntimeException e) {
      throw new StoreException(
          "ledger.key.history-invalid", "cannot read " + file + ": " + e.getMessage());
    }
    return out;
  }

  /** Adds a rotation to the history unless it is there already. */
  void addHistory(Rotation r) {
    List<Rotation> h = new ArrayList<>(history());
    if (h.contains(r)) {
      return;
    }
    h.add(r);
    StringBuilder b = new StringBuilder();
    for (Rotation x : h) {
      b.append(x.index()).append(' ').append(x.key().encode()).append('\n');
    }
    write(HISTORY, b.toString().getBytes(StandardCharsets.UTF_8), false);
  }

  private Optional<NoteSigner> signer(String name) {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    NoteSigner s;
    try {
      s = NoteSigner.parse(SecretBytes.copyOf(Files.readAllBytes(file)));
    } catch (IOException | RuntimeException e) {
      throw new StoreException(
          "ledger.key.invalid", "cannot read the ledger key " + file + ": " + e.getMessage());
    }
    if (!s.verifierKey().name().equals(origin)) {
      throw new StoreException(
          "ledger.key.origin",
          "the ledger key " + file + " is for " + s.verifierKey().name() + ", not " + origin);
    }
    return Optional.of(s);
  }

  private void write(String name, byte[] bytes, boolean secret) {
    Path tmp = dir.resolve(name + ".tmp");
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(tmp);
      if (secret) {
        try {
          Files.createFile(tmp, PosixFilePermissions.asFileAttribute(NodeFiles.OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
          Files.createFile(tmp);
        }
      }
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      move(tmp, dir.resolve(name));
    } catch (IOException e) {
      throw new StoreException("ledger.key.io", "cannot write " + dir.resolve(name) + ": " + e);
    } finally {
      if (secret) {
        java.util.Arrays.fill(bytes, (byte) 0);
      }
    }
  }

  private void move(Path from, Path to) {
    try {
      try {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
      forceDir();
    } catch (IOException e) {
      throw new StoreException("ledger.key.io", "cannot move " + from + " to " + to + ": " + e);
    }
  }

  // The rename is durable only once the directory is: fsync it where the platform allows.
  private void forceDir() {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Not every platform opens directories (Windows); the rename is still atomic there.
    }
  }
}

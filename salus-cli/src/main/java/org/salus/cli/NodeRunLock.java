package org.salus.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An OS file lock on {@code D/ledger/running.lock} that a running node's ledger service holds, so
 * that commands which must not run beside it ({@code salus ledger rotate-key}: the running node
 * keeps signing with the key it opened) can tell, whatever the database (DuckDB already refuses a
 * second process; PostgreSQL does not). The lock goes with the process.
 */
final class NodeRunLock implements AutoCloseable {

  static final String FILE = "running.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private NodeRunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock of the node in {@code dir}; empty when another holder has it already. */
  static Optional<NodeRunLock> take(Path dir) {
    FileChannel ch = null;
    try {
      Path ledger = dir.resolve("ledger");
      java.nio.file.Files.createDirectories(ledger);
      ch =
          FileChannel.open(
              ledger.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l = ch.tryLock();
      if (l == null) {
        ch.close();
        return Optional.empty();
      }
      return Optional.of(new NodeRunLock(ch, l));
    } catch (OverlappingFileLockException e) {
      closeQuietly(ch);
      return Optional.empty();
    } catch (IOException e) {
      closeQuietly(ch);
      throw new org.salus.core.error.SalusException(
          "node.lock.failed", "cannot lock " + dir.resolve("ledger").resolve(FILE) + ": " + e);
    }
  }

  /** Whether a node (this process or another) runs on {@code dir} now. */
  static boolean running(Path dir) {
    Optional<NodeRunLock> l = take(dir);
    l.ifPresent(NodeRunLock::close);
    return l.isEmpty();
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing held
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the lock goes with the channel or the process
    }
  }
}

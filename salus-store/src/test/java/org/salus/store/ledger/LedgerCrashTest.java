package org.salus.store.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a process in the middle of appending; every acknowledged entry must be there. */
class LedgerCrashTest {

  @TempDir Path dir;

  @Test
  void aKilledAppenderLosesNoAcknowledgedEntry() throws Exception {
    Path db = dir.resolve("node.duckdb");
    try (Connection c = Databases.duckdb(db)) {
      LedgerMigration.apply(c);
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashingAppender.class.getName(),
                db.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<Long> acknowledged = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acknowledged.size() < 3000 && (line = out.readLine()) != null) {
        acknowledged.add(Long.parseLong(line.strip()));
      }
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(acknowledged).hasSize(3000);

    try (Connection c = Databases.duckdb(db)) {
      long size;
      try (var s = c.createStatement();
          var r = s.executeQuery("SELECT COUNT(*), COALESCE(MAX(idx) + 1, 0) FROM ledger_entry")) {
        r.next();
        size = r.getLong(1);
        assertThat(r.getLong(2)).as("no gaps").isEqualTo(size);
      }
      assertThat(acknowledged).allMatch(i -> i < size);
      LedgerAppenderTest.assertStoredTreeMatchesEntries(c, size);
      try (LedgerAppender reopened = LedgerAppender.open(c)) {
        assertThat(reopened.append(LedgerAppenderTest.entry(-1))).isEqualTo(size);
      }
    }
  }
}

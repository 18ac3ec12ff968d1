package org.salus.bench.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.salus.core.ledger.event.ActorId;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.event.SubjectId;
import org.salus.core.ledger.merkle.TreeHasher;

/** Realistic entries and the ledger schema for the benchmarks. */
final class LedgerFixtures {

  private LedgerFixtures() {}

  /** A record-access event of about 150 bytes, distinct per {@code i}. */
  static byte[] entry(long i) {
    EventContext c =
        new EventContext(
            Instant.ofEpochSecond(1_800_000_000L + i),
            ActorId.ofCredential("clinician-" + (i % 97)),
            Optional.of(
                new SubjectId(
                    TreeHasher.leafHash(Long.toString(i).getBytes(StandardCharsets.UTF_8)))),
            "care",
            List.of("condition", "medication"),
            Optional.of(TreeHasher.emptyRoot()));
    return EntryCodec.encode(new LedgerEvent.RecordAccess(c));
  }

  static void migrate(Connection c) throws SQLException, IOException {
    String sql;
    try (InputStream in =
        LedgerFixtures.class.getResourceAsStream("/db/migration/V2__ledger.sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder b = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (!line.strip().startsWith("--")) {
        b.append(line).append('\n');
      }
    }
    try (Statement s = c.createStatement()) {
      for (String statement : b.toString().split(";")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
    }
  }
}

package org.salus.store.ledger;

import java.nio.file.Path;
import java.sql.Connection;

/**
 * The child process of {@link LedgerCrashTest}: appends from four threads until killed, printing
 * each acknowledged index.
 */
public final class CrashingAppender {

  private CrashingAppender() {}

  public static void main(String[] args) throws Exception {
    Connection c = Databases.duckdb(Path.of(args[0]));
    LedgerAppender appender = LedgerAppender.open(c);
    Runnable loop =
        () -> {
          for (long i = 0; ; i++) {
            long index = appender.append(LedgerAppenderTest.entry(i));
            synchronized (System.out) {
              System.out.println(index);
              System.out.flush();
            }
          }
        };
    for (int t = 0; t < 4; t++) {
      Thread.ofPlatform().start(loop);
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}

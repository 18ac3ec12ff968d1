package org.salus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationTest {

  @Test
  void fileNamesGiveVersionAndName() {
    assertThat(Migration.fromFile("V12__ledger_leaves.sql", "x"))
        .contains(new Migration(12, "ledger_leaves", "x"));
    assertThat(Migration.fromFile("README.md", "x")).isEmpty();
    assertThat(Migration.fromFile("V1_single_underscore.sql", "x")).isEmpty();
    assertThat(Migration.fromFile("index.txt", "x")).isEmpty();
  }

  @Test
  void statementsAreSplitAtLineEndSemicolonsAndCommentsDropped() {
    Migration m =
        new Migration(
            1,
            "x",
            "-- a comment; with a semicolon\nCREATE TABLE a (x TEXT DEFAULT 'a;b');\n\n"
                + "CREATE TABLE b (\n  y INTEGER\n);\n-- trailing\n");

    assertThat(m.statements())
        .containsExactly(
            "CREATE TABLE a (x TEXT DEFAULT 'a;b')", "CREATE TABLE b (\n  y INTEGER\n)");
  }

  @Test
  void anyEditChangesTheChecksum() {
    String a = new Migration(1, "x", "CREATE TABLE a (x TEXT);").checksum();
    String b = new Migration(1, "x", "CREATE TABLE a (x TEXT); ").checksum();

    assertThat(a).hasSize(64).isNotEqualTo(b);
  }

  @Test
  void theClassPathHoldsV1ForBothDialects() {
    for (String dialect : List.of("duckdb", "postgresql")) {
      assertThat(MigrationRunner.fromClassPath(dialect).migrations())
          .extracting(Migration::version)
          .contains(1)
          .isSorted()
          .doesNotHaveDuplicates();
    }
  }

  @Test
  void twoMigrationsWithOneVersionAreRefused() {
    assertThatThrownBy(
            () ->
                new MigrationRunner(
                    List.of(new Migration(3, "a", "x"), new Migration(3, "b", "y"))))
        .hasFieldOrPropertyWithValue("code", "store.migration.duplicate");
  }
}

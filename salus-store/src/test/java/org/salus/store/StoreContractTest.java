package org.salus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salus.core.keys.SecretBytes;
import org.salus.core.record.AnalyticTable;
import org.salus.core.record.BirthPrecision;
import org.salus.core.record.Code;
import org.salus.core.record.ConditionOccurrence;
import org.salus.core.record.IngestBatch;
import org.salus.core.record.KnownRecords;
import org.salus.core.record.Person;
import org.salus.core.record.Sex;

/** What every store (DuckDB, PostgreSQL) must do; subclasses supply the database. */
abstract class StoreContractTest {

  /** A fresh, empty database. */
  abstract Database newDatabase() throws Exception;

  /** Removes what {@link #newDatabase} made. */
  abstract void dropDatabase() throws Exception;

  Database database;
  NodeStore store;

  @BeforeEach
  void openStore() throws Exception {
    database = newDatabase();
    store = NodeStore.open(database, SecretBytes.random(32, new SecureRandom()));
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store != null) {
      store.close();
    }
    dropDatabase();
  }

  // --- writing and reading back

  @Test
  void writesEveryTableAndReadsBackExactRows() throws SQLException {
    WriteResult r = store.write("batch-1", Batches.sha('a'), Batches.everyTable());

    assertThat(r).isInstanceOf(WriteResult.Loaded.class);
    WriteResult.Loaded loaded = (WriteResult.Loaded) r;
    assertThat(loaded.inserted())
        .containsEntry(AnalyticTable.PERSON, 1)
        .containsEntry(AnalyticTable.MEASUREMENT, 2)
        .containsEntry(AnalyticTable.DEATH, 1);
    assertThat(loaded.totalInserted()).isEqualTo(10);
    assertThat(loaded.sourcesStored()).isEqualTo(2);

    assertThat(rows("person"))
        .containsExactly(row("rk-p1", "pk-1", "female", LocalDate.of(1956, 3, 1), "month", 1956));
    assertThat(rows("observation_period"))
        .containsExactly(
            row("rk-op1", "pk-1", LocalDate.of(2020, 1, 1), LocalDate.of(2024, 6, 30)));
    assertThat(rows("visit_occurrence"))
        .containsExactly(
            row(
                "rk-v1",
                "pk-1",
                "AMB",
                "SNOMED",
                "185349003",
                LocalDateTime.of(2021, 5, 4, 9, 30),
                LocalDateTime.of(2021, 5, 4, 10, 15)));
    assertThat(rows("condition_occurrence"))
        .containsExactly(
            row("rk-c1", "pk-1", "rk-v1", "ICD10", "E11.9", LocalDate.of(2021, 5, 4), null));
    assertThat(rows("drug_exposure"))
        .containsExactly(
            row(
                "rk-d1",
                "pk-1",
                null,
                "RXNORM",
                "860975",
                LocalDate.of(2021, 5, 4),
                LocalDate.of(2021, 8, 4)));
    assertThat(rows("procedure_occurrence"))
        .containsExactly(
            row("rk-pr1", "pk-1", "rk-v1", "SNOMED", "430193006", LocalDate.of(2021, 5, 4)));
    assertThat(rows("measurement"))
        .containsExactly(
            row(
                "rk-m1",
                "pk-1",
                "rk-v1",
                "LOINC",
                "4548-4",
                LocalDateTime.of(2021, 5, 4, 9, 45, 12),
                7.25,
                "%",
                null,
                null),
            row(
                "rk-m2",
                "pk-1",
                null,
                "LOINC",
                "5778-6",
                LocalDateTime.of(2021, 5, 4, 9, 46),
                null,
                null,
                "SNOMED",
                "371254008"));
    assertThat(rows("observation"))
        .containsExactly(
            row(
                "rk-o1",
                "pk-1",
                "rk-v1",
                "CVX",
                "140",
                LocalDateTime.of(2021, 10, 1, 8, 0),
                "urn:example:answers",
                "yes"));
    assertThat(rows("death")).containsExactly(row("rk-p1", "pk-1", LocalDate.of(2024, 6, 30)));
    assertThat(store.hasFile(Batches.sha('a'))).isTrue();
    assertThat(store.hasFile(Batches.sha('b'))).isFalse();
  }

  @Test
  void manyRowsSpanSeveralStatementChunks() {
    int n = BatchWriter.CHUNK * 2 + 17;
    Person[] persons = new Person[n];
    for (int i = 0; i < n; i++) {
      persons[i] =
          new Person(
              "rk-" + i,
              "pk-" + i,
              Sex.MALE,
              LocalDate.of(1900 + i % 100, 1, 1),
              BirthPrecision.YEAR);
    }
    WriteResult.Loaded r =
        (WriteResult.Loaded) store.write("big", Batches.sha('c'), Batches.persons(persons));

    assertThat(r.inserted()).containsEntry(AnalyticTable.PERSON, n);
    assertThat(store.stats().tables()).containsEntry(AnalyticTable.PERSON, (long) n);
  }

  // --- idempotency

  @Test
  void theSameFileTwiceIsLoadedOnce() {
    store.write("batch-1", Batches.sha('a'), Batches.everyTable());
    NodeStats before = store.stats();

    WriteResult again = store.write("batch-1", Batches.sha('a'), Batches.everyTable());

    assertThat(again).isEqualTo(new WriteResult.AlreadyLoaded());
    assertThat(store.stats()).isEqualTo(before);
  }

  @Test
  void theSameRowsInAnotherFileChangeNothing() throws SQLException {
    store.write("batch-1", Batches.sha('a'), Batches.everyTable());
    NodeStats before = store.stats();
    List<List<Object>> persons = rows("person");

    WriteResult again = store.write("batch-2", Batches.sha('b'), Batches.everyTable());
    // Same record key, different content: the stored row wins.
    store.write(
        "batch-3",
        Batches.sha('d'),
        Batches.persons(
            new Person("rk-p1", "pk-1", Sex.MALE, LocalDate.of(1990, 1, 1), BirthPrecision.MONTH)));

    assertThat(again).isInstanceOf(WriteResult.Loaded.class);
    WriteResult.Loaded loaded = (WriteResult.Loaded) again;
    assertThat(loaded.totalInserted()).isZero();
    assertThat(loaded.sourcesStored()).isZero();
    assertThat(store.stats()).isEqualTo(before);
    assertThat(rows("person")).isEqualTo(persons);
    assertThat(store.hasFile(Batches.sha('b'))).isTrue();
  }

  @Test
  void duplicateKeysInsideOneBatchKeepTheFirst() throws SQLException {
    Person first =
        new Person("rk-x", "pk-x", Sex.FEMALE, LocalDate.of(1970, 1, 1), BirthPrecision.YEAR);
    Person second =
        new Person("rk-x", "pk-x", Sex.MALE, LocalDate.of(1980, 1, 1), BirthPrecision.YEAR);

    store.write("dups", Batches.sha('e'), Batches.persons(first, second));

    assertThat(rows("person"))
        .containsExactly(row("rk-x", "pk-x", "female", LocalDate.of(1970, 1, 1), "year", 1970));
  }

  // --- one transaction

  @Test
  void aBatchWhoseLastRowFailsLeavesNothing() {
    ConditionOccurrence bad =
        new ConditionOccurrence(
            "rk-bad",
            "pk-1",
            Optional.empty(),
            new Code(Code.SNOMED, "44054006"),
            LocalDate.of(2021, 5, 4),
            Optional.of(LocalDate.of(2020, 1, 1))); // ends before it starts: CHECK constraint
    IngestBatch batch = Batches.plus(Batches.everyTable(), bad);

    assertThatThrownBy(() -> store.write("Jane-Doe-1956.json", Batches.sha('a'), batch))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.code()).isEqualTo("store.write.failed");
              assertThat(e.getMessage())
                  .contains("condition_occurrence")
                  .doesNotContain("Jane")
                  .doesNotContain("rk-bad")
                  .doesNotContain("2021");
            });

    assertThat(store.stats().tables().values()).containsOnly(0L);
    assertThat(store.hasFile(Batches.sha('a'))).isFalse();
    assertThat(store.readSource("rk-p1")).isEmpty();
    // And the store still works afterwards.
    assertThat(store.write("ok", Batches.sha('a'), Batches.everyTable()))
        .isInstanceOf(WriteResult.Loaded.class);
  }

  @Test
  void rowsOfAFailedBatchNeverReappearLater() throws SQLException {
    Person onlyInFailed =
        new Person(
            "rk-ghost", "pk-ghost", Sex.OTHER, LocalDate.of(1940, 1, 1), BirthPrecision.YEAR);
    ConditionOccurrence bad =
        new ConditionOccurrence(
            "rk-bad",
            "pk-1",
            Optional.empty(),
            new Code(Code.SNOMED, "44054006"),
            LocalDate.of(2021, 5, 4),
            Optional.of(LocalDate.of(2020, 1, 1)));
    assertThatThrownBy(
            () ->
                store.write(
                    "f1", Batches.sha('a'), Batches.plus(Batches.persons(onlyInFailed), bad)))
        .isInstanceOf(StoreException.class);

    store.write(
        "f2",
        Batches.sha('b'),
        Batches.persons(
            new Person(
                "rk-real", "pk-real", Sex.MALE, LocalDate.of(1960, 1, 1), BirthPrecision.YEAR)));
    store.write("f3", Batches.sha('c'), Batches.everyTable());

    assertThat(rows("person")).extracting(r -> r.get(0)).containsExactly("rk-p1", "rk-real");
    assertThat(rows("condition_occurrence")).extracting(r -> r.get(0)).containsExactly("rk-c1");
  }

  @Test
  void aBadShaIsRefused() {
    assertThatThrownBy(() -> store.write("x", "not-a-sha", Batches.everyTable()))
        .hasFieldOrPropertyWithValue("code", "store.write.invalid");
  }

  // --- known records

  @Test
  void knownRecordsAnswerFromTheStore() {
    KnownRecords known = store.knownRecords();
    assertThat(known.personKeyOf("rk-p1")).isEmpty();
    assertThat(known.hasVisit("rk-v1")).isFalse();

    store.write("batch-1", Batches.sha('a'), Batches.everyTable());

    assertThat(known.personKeyOf("rk-p1")).contains("pk-1");
    assertThat(known.hasVisit("rk-v1")).isTrue();
    assertThat(known.personKeyOf("rk-v1")).isEmpty();
    assertThat(known.hasVisit("rk-p1")).isFalse();
  }

  // --- stats

  @Test
  void statsCountEveryTableAndPersonsBySexAndDecade() {
    store.write("batch-1", Batches.sha('a'), Batches.everyTable()); // female 1956
    store.write(
        "batch-2",
        Batches.sha('b'),
        Batches.persons(
            new Person("rk-2", "pk-2", Sex.FEMALE, LocalDate.of(1950, 1, 1), BirthPrecision.YEAR),
            new Person("rk-3", "pk-3", Sex.MALE, LocalDate.of(1989, 12, 1), BirthPrecision.MONTH),
            new Person("rk-4", "pk-4", Sex.MALE, LocalDate.of(1980, 1, 1), BirthPrecision.YEAR),
            new Person(
                "rk-5", "pk-5", Sex.UNKNOWN, LocalDate.of(2001, 7, 1), BirthPrecision.MONTH)));

    NodeStats stats = store.stats();

    Map<AnalyticTable, Long> expected = new EnumMap<>(AnalyticTable.class);
    for (AnalyticTable t : AnalyticTable.values()) {
      expected.put(t, 1L);
    }
    expected.put(AnalyticTable.PERSON, 5L);
    expected.put(AnalyticTable.MEASUREMENT, 2L);
    assertThat(stats.tables()).isEqualTo(expected);
    assertThat(stats.bySexAndDecade())
        .containsExactly(
            new NodeStats.SexDecade(Sex.MALE, 1980, 2),
            new NodeStats.SexDecade(Sex.FEMALE, 1950, 2),
            new NodeStats.SexDecade(Sex.UNKNOWN, 2000, 1));
  }

  // --- encrypted sources

  @Test
  void sourcesAreEncryptedAndDecryptBack() throws SQLException {
    store.write("batch-1", Batches.sha('a'), Batches.everyTable());

    assertThat(store.readSource("rk-p1"))
        .hasValueSatisfying(
            b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo(Batches.PATIENT_JSON));
    assertThat(store.readSource("rk-none")).isEmpty();
    assertThat(store.readSources("pk-1", "Observation"))
        .singleElement()
        .satisfies(
            b ->
                assertThat(new String(b, StandardCharsets.UTF_8))
                    .isEqualTo("{\"resourceType\":\"Observation\"}"));
    assertThat(store.readSources("pk-1", "Condition")).isEmpty();
    assertThat(store.readSources("pk-2", "Observation")).isEmpty();

    byte[] stored = bytes("SELECT ciphertext FROM source_document WHERE record_key = 'rk-p1'");
    byte[] nonce = bytes("SELECT nonce FROM source_document WHERE record_key = 'rk-p1'");
    assertThat(nonce).hasSize(12);
    assertThat(stored).hasSize(Batches.PATIENT_JSON.length() + 16);
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("Oddname");
    assertThat(indexOf(stored, "Patient".getBytes(StandardCharsets.UTF_8))).isNegative();
  }

  @Test
  void aCiphertextMovedToAnotherRecordDoesNotDecrypt() throws SQLException {
    store.write("batch-1", Batches.sha('a'), Batches.everyTable());
    try (Statement s = store.connection().createStatement()) {
      s.execute("DELETE FROM source_document WHERE record_key = 'rk-m1'");
      s.execute(
          "INSERT INTO source_document SELECT 'rk-m1', person_key, source_type, nonce, ciphertext"
              + " FROM source_document WHERE record_key = 'rk-p1'");
    }

    assertThatThrownBy(() -> store.readSource("rk-m1"))
        .hasFieldOrPropertyWithValue("code", "store.source.decrypt-failed")
        .hasMessage("a source document did not decrypt");
  }

  // --- migrations

  @Test
  void aFreshDatabaseHasEveryMigrationAndRerunningIsANoOp() throws SQLException {
    MigrationRunner runner = MigrationRunner.fromClassPath(database.dialect());
    List<Integer> versions = runner.migrations().stream().map(Migration::version).toList();

    assertThat(versions).contains(1);
    assertThat(ints("SELECT version FROM schema_version ORDER BY version")).isEqualTo(versions);
    assertThat(runner.migrate(store.connection())).isEmpty();
    assertThat(ints("SELECT version FROM schema_version ORDER BY version")).isEqualTo(versions);
  }

  @Test
  void aNewMigrationIsAppliedOnceAndAFailingOneLeavesNothing() throws SQLException {
    List<Migration> known =
        new ArrayList<>(MigrationRunner.fromClassPath(database.dialect()).migrations());
    known.add(
        new Migration(
            900, "extra", "CREATE TABLE extra_t (x INTEGER);\nINSERT INTO extra_t VALUES (1);\n"));
    assertThat(new MigrationRunner(known).migrate(store.connection())).containsExactly(900);
    assertThat(ints("SELECT x FROM extra_t")).containsExactly(1);

    known.add(
        new Migration(
            901, "broken", "CREATE TABLE broken_t (x INTEGER);\nSELECT * FROM no_such_table;\n"));
    assertThatThrownBy(() -> new MigrationRunner(known).migrate(store.connection()))
        .hasFieldOrPropertyWithValue("code", "store.migration.failed")
        .hasMessageContaining("V901__broken");
    assertThat(ints("SELECT version FROM schema_version WHERE version >= 900"))
        .containsExactly(900);
    assertThatThrownBy(() -> ints("SELECT x FROM broken_t")).isInstanceOf(SQLException.class);
  }

  @Test
  void anEditedAppliedMigrationIsRefused() throws SQLException {
    try (Statement s = store.connection().createStatement()) {
      s.execute("UPDATE schema_version SET checksum = 'tampered' WHERE version = 1");
    }

    assertThatThrownBy(
            () -> MigrationRunner.fromClassPath(database.dialect()).migrate(store.connection()))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.code()).isEqualTo("store.migration.checksum");
              assertThat(e.getMessage()).contains("V1__analytic_tables").contains("tampered");
            });
  }

  @Test
  void aDatabaseFromANewerProgramIsRefused() throws SQLException {
    try (Statement s = store.connection().createStatement()) {
      s.execute(
          "INSERT INTO schema_version VALUES (9999, 'future', 'x', TIMESTAMP '2030-01-01 00:00:00')");
    }

    assertThatThrownBy(
            () -> MigrationRunner.fromClassPath(database.dialect()).migrate(store.connection()))
        .hasFieldOrPropertyWithValue("code", "store.migration.unknown");
  }

  // --- helpers

  static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  List<List<Object>> rows(String table) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Statement s = store.connection().createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY record_key")) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(value(rs, i));
        }
        out.add(row);
      }
    }
    return out;
  }

  /** Column values as Java types independent of the driver. */
  private static Object value(ResultSet rs, int i) throws SQLException {
    int type = rs.getMetaData().getColumnType(i);
    Object v =
        switch (type) {
          case java.sql.Types.DATE -> rs.getObject(i, LocalDate.class);
          case java.sql.Types.TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
          case java.sql.Types.DOUBLE, java.sql.Types.FLOAT -> rs.getDouble(i);
          case java.sql.Types.INTEGER -> rs.getInt(i);
          default -> rs.getString(i);
        };
    return rs.wasNull() ? null : v;
  }

  private List<Integer> ints(String sql) throws SQLException {
    List<Integer> out = new ArrayList<>();
    try (Statement s = store.connection().createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }

  private byte[] bytes(String sql) throws SQLException {
    try (PreparedStatement p = store.connection().prepareStatement(sql);
        ResultSet rs = p.executeQuery()) {
      rs.next();
      return rs.getBytes(1);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

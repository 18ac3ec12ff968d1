package org.salus.store.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.store.Database;
import org.salus.store.study.StudyProposals.Proposal;
import org.salus.store.study.StudyProposals.State;

/** Proposals are recorded once, decided once, and read back as stored. */
class StudyProposalsTest {

  @TempDir Path tmp;

  private static Proposal pending(String id, String hub, String document) {
    return new Proposal(
        id,
        hub,
        "register/researcher-1",
        Optional.of("Erasmus MC"),
        "title",
        "HRESCH",
        document,
        "eyJ...jws",
        Instant.parse("2026-12-01T10:00:00.123456789Z"),
        State.PENDING,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  @Test
  void recordDecideAndCount() {
    try (StudyProposals p = StudyProposals.open(new Database.DuckDb(tmp.resolve("n.duckdb")))) {
      Proposal s1 = p.record(pending("s1", "hub", "{}"));
      assertThat(p.find("s1")).contains(s1);
      assertThat(p.record(pending("s1", "hub", "{}")))
          .as("the same proposal again is the one recorded")
          .isEqualTo(s1);
      assertThatThrownBy(() -> p.record(pending("s1", "other-hub", "{}")))
          .hasFieldOrPropertyWithValue("code", StudyProposals.DUPLICATE);
      assertThatThrownBy(() -> p.record(pending("s1", "hub", "{\"x\": 1}")))
          .hasFieldOrPropertyWithValue("code", StudyProposals.DUPLICATE);
      p.record(pending("s2", "hub", "{}"));
      assertThat(p.open("register/researcher-1")).isEqualTo(2);

      Proposal d =
          p.decide(
              "s1",
              State.REJECTED,
              "steward:x/y",
              Instant.parse("2026-12-01T11:00:00Z"),
              Optional.of("not now"));
      assertThat(p.find("s1")).contains(d);
      assertThat(d.reason()).contains("not now");
      assertThat(p.open("register/researcher-1")).as("a rejected study is closed").isEqualTo(1);
      assertThatThrownBy(
              () -> p.decide("s1", State.APPROVED, "steward:x/y", Instant.now(), Optional.empty()))
          .hasFieldOrPropertyWithValue("code", StudyProposals.DECIDED);
      assertThatThrownBy(
              () ->
                  p.decide("nope", State.APPROVED, "steward:x/y", Instant.now(), Optional.empty()))
          .hasFieldOrPropertyWithValue("code", StudyProposals.UNKNOWN);
      assertThat(p.all()).extracting(Proposal::studyId).containsExactlyInAnyOrder("s1", "s2");
    }
  }
}

package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * {@code salus bench federated-mean} end to end over mutual TLS: the three nodes answer every round
 * from the subjects kept at their join, and the summed mean is the pooled mean of the generated
 * values (node i holds 4.5 + (k mod 50) / 10 for k below the persons per node).
 */
class BenchCommandTest {

  @Test
  void theFederatedMeanOverHttpsIsThePooledMean() throws Exception {
    StudyRunCommandTest.Run run =
        StudyRunCommandTest.salus(
            "bench",
            "federated-mean",
            "--persons",
            "12",
            "--rounds",
            "5",
            "--warmup",
            "2",
            "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode r = new ObjectMapper().readTree(run.out());
    assertThat(r.path("pooledN").asLong()).isEqualTo(36);
    double sum = 0;
    for (int k = 0; k < 12; k++) {
      sum += 4.5 + (k % 50) / 10.0;
    }
    assertThat(r.path("pooledMean").asDouble()).isCloseTo(sum / 12, within(1e-9));
    assertThat(r.path("rounds").asInt()).isEqualTo(5);
    assertThat(r.path("p50Millis").asDouble()).isPositive();
    assertThat(r.path("maxMillis").asDouble())
        .isGreaterThanOrEqualTo(r.path("p95Millis").asDouble());
    assertThat(r.path("cpuMillisPerRound").asDouble()).isPositive();
  }
}

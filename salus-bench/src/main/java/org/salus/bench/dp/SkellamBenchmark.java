package org.salus.bench.dp;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.salus.core.dp.Rational;
import org.salus.core.dp.Skellam;

/**
 * One exact Sk(μ) draw (two Poisson(μ), integer arithmetic only, {@link
 * java.security.SecureRandom}) across μ: the envelope sampler's cost should grow like √μ, where the
 * former chain of Poisson(½) parts grew like μ. The μ of a GLM round under a small ρ is in the
 * hundreds of millions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SkellamBenchmark {

  @Param({"10", "10000", "1000000", "100000000", "10000000000"})
  long mu;

  private Skellam skellam;

  @Setup
  public void setUp() {
    skellam = new Skellam(Rational.of(mu, 1));
  }

  @Benchmark
  public long sample() {
    return skellam.sample();
  }
}

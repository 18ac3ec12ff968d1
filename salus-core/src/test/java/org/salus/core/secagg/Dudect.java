package org.salus.core.secagg;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A dudect-style timing-leak check (Reparaz, Balasch and Verbauwhede, "Dude, is my code constant
 * time?", DATE 2017): time one operation on inputs of two classes, the class of each measurement
 * drawn at random so that drift in the machine's speed falls on both alike, and compare the two
 * timing distributions with Welch's t-test, on all measurements and on those below a few
 * percentiles (cropping the long right tail that interrupts, GC and JIT events add). A |t| well
 * above 4.5 means the timing depends on the class: a leak. It measures wall time per call with
 * {@link System#nanoTime}, so it sees only leaks larger than the noise over the sample (its power
 * is checked against deliberately leaky functions in X25519TimingTest).
 */
final class Dudect {

  /** The operation on the input at an index, returning something that depends on its result. */
  interface Operation {
    int run(int index);
  }

  /** The percentiles kept when cropping; 1.0 keeps every measurement. */
  static final double[] CROPS = {0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0};

  /**
   * Each input is timed this many times in a row and the fastest kept: a call the scheduler
   * interrupted counts only if both were.
   */
  static final int REPEATS = 2;

  static volatile int sink;

  /**
   * The outcome: per crop, Welch's t of class 0 against class 1, and the class means (ns).
   *
   * @param t Welch's t per crop, in the order of {@link #CROPS}
   */
  record Result(double[] t, double mean0, double mean1, int measurements) {
    double maxAbsT() {
      double max = 0;
      for (double v : t) {
        max = Math.max(max, Math.abs(v));
      }
      return max;
    }

    @Override
    public String toString() {
      return String.format(
          "max |t| %.2f over crops %s: t %s; uncropped means %.0f ns (class 0) vs %.0f ns (class"
              + " 1), %d measurements",
          maxAbsT(),
          Arrays.toString(CROPS),
          Arrays.toString(rounded(t)),
          mean0,
          mean1,
          measurements);
    }

    private static String[] rounded(double[] t) {
      String[] out = new String[t.length];
      for (int i = 0; i < t.length; i++) {
        out[i] = String.format("%.2f", t[i]);
      }
      return out;
    }
  }

  private Dudect() {}

  /**
   * Runs {@code operation} {@code warmUp} times (so the JIT has compiled it), then {@link #REPEATS}
   * times per index, keeping the fastest; {@code classes[i]} (0 or 1) is the class of input {@code
   * i}.
   */
  static Result measure(byte[] classes, int warmUp, Operation operation) {
    int n = classes.length;
    int acc = 0;
    for (int i = 0; i < warmUp; i++) {
      acc += operation.run(i % n);
    }
    long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      long best = Long.MAX_VALUE;
      for (int r = 0; r < REPEATS; r++) {
        long start = System.nanoTime();
        acc += operation.run(i);
        best = Math.min(best, System.nanoTime() - start);
      }
      times[i] = best;
    }
    sink = acc;
    return welch(classes, times);
  }

  /** Welch's t of the two classes' timings, uncropped and cropped at each of {@link #CROPS}. */
  static Result welch(byte[] classes, long[] times) {
    long[] sorted = times.clone();
    Arrays.sort(sorted);
    double[] t = new double[CROPS.length];
    double mean0 = 0;
    double mean1 = 0;
    for (int c = 0; c < CROPS.length; c++) {
      long limit = sorted[(int) Math.min(sorted.length - 1, Math.floor(CROPS[c] * sorted.length))];
      double[] m = new double[2];
      double[] m2 = new double[2];
      long[] count = new long[2];
      for (int i = 0; i < times.length; i++) {
        if (times[i] > limit) {
          continue;
        }
        int k = classes[i];
        count[k]++;
        double delta = times[i] - m[k];
        m[k] += delta / count[k];
        m2[k] += delta * (times[i] - m[k]);
      }
      if (count[0] < 2 || count[1] < 2) {
        // The fastest measurements are all of one class: as plain a leak as there is.
        t[c] = count[0] < count[1] ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        continue;
      }
      double var0 = m2[0] / (count[0] - 1);
      double var1 = m2[1] / (count[1] - 1);
      t[c] = (m[0] - m[1]) / Math.sqrt(var0 / count[0] + var1 / count[1]);
      if (CROPS[c] == 1.0) {
        mean0 = m[0];
        mean1 = m[1];
      }
    }
    return new Result(t, mean0, mean1, times.length);
  }

  /** A random class per measurement, about half of each. */
  static byte[] randomClasses(int n, SplittableRandom random) {
    byte[] classes = new byte[n];
    for (int i = 0; i < n; i++) {
      classes[i] = (byte) random.nextInt(2);
    }
    return classes;
  }
}

package org.salus.store.study;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.salus.core.dp.Budget;
import org.salus.core.dp.PrivacyBudgetExceededException;
import org.salus.core.dp.ZcdpCost;
import org.salus.core.error.SalusException;

/**
 * A node's privacy budgets, one per researcher on the node's dataset, in the file {@code
 * budgets.properties} of the node directory: {@code default.rho} (the steward's limit for every
 * researcher, {@value #DEFAULT_RHO} when unset), {@code limit.<researcher>} (a researcher's own
 * limit) and {@code spent.<researcher>} (ρ committed so far). The file is rewritten whole on every
 * change (write to a temporary file, force it to disk, then move it over the old one).
 *
 * <p>A charge ({@link #charge}) is atomic across every study session of the node, in this process
 * and in others: it holds a lock (a lock object per file in this process, and an exclusive lock on
 * {@code budgets.properties.lock} against other processes), reads the file again, checks the limit
 * against what is spent <em>now</em>, and writes the new total before it returns. Two studies of
 * one researcher running at once therefore cannot both spend the same remaining ρ, and a charge is
 * on disk before the release it pays for is computed further or leaves the node.
 */
public final class NodeBudgets {

  /** The limit when the steward has set none. */
  public static final double DEFAULT_RHO = 1.0;

  /** The file name inside the node directory. */
  public static final String FILE = "budgets.properties";

  /** One lock per budget file in this process (a file lock does not exclude this JVM's threads). */
  private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

  private final Path file;
  private Properties values;

  private NodeBudgets(Path file, Properties values) {
    this.file = file;
    this.values = values;
  }

  /** Reads the budgets of the node in {@code dir} (an absent file means defaults). */
  public static NodeBudgets open(Path dir) {
    Path file = dir.resolve(FILE);
    return new NodeBudgets(file, read(file));
  }

  private static Properties read(Path file) {
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new SalusException("dp.budget.unreadable", "cannot read the budget file " + file);
      }
    }
    return p;
  }

  /** The ρ limit of {@code researcher}: their own, else the node's default. */
  public double limit(String researcher) {
    return number("limit." + researcher, defaultLimit());
  }

  public double defaultLimit() {
    return number("default.rho", DEFAULT_RHO);
  }

  /** ρ committed so far by {@code researcher}. */
  public double spent(String researcher) {
    return number("spent." + researcher, 0);
  }

  /** Sets the default limit ({@code researcher} empty) or one researcher's limit. */
  public void setLimit(java.util.Optional<String> researcher, double rho) {
    if (!(rho >= 0) || Double.isInfinite(rho)) {
      throw new SalusException("dp.budget.invalid", "a budget limit must be finite and >= 0");
    }
    locked(
        () -> {
          values.setProperty(
              researcher.map(r -> "limit." + r).orElse("default.rho"), Double.toString(rho));
          save();
          return null;
        });
  }

  /**
   * Charges {@code cost} to {@code researcher}: under the budget lock, reads the file again,
   * refuses with {@link PrivacyBudgetExceededException} (nothing written) when what is spent now
   * plus the cost would pass the researcher's limit, else writes the new total to disk and returns
   * it. Only ρ is limited; ξ is reported by the caller.
   */
  public double charge(String researcher, ZcdpCost cost) {
    return locked(
        () -> {
          ZcdpCost limit = new ZcdpCost(limit(researcher), Double.MAX_VALUE);
          ZcdpCost spent = ZcdpCost.rho(spent(researcher));
          Budget b = new Budget("node", researcher, limit);
          if (!spent.within(limit)) {
            throw new PrivacyBudgetExceededException("node/" + researcher, limit, spent, cost);
          }
          if (spent.rho() > 0) {
            b.charge("spent before", spent).commit();
          }
          b.charge("this release", cost).commit();
          double total = spent.rho() + cost.rho();
          values.setProperty("spent." + researcher, Double.toString(total));
          save();
          return total;
        });
  }

  private interface Locked<T> {
    T run();
  }

  /** Runs {@code body} holding this process's and the file system's lock, over a fresh read. */
  private <T> T locked(Locked<T> body) {
    Object mutex = LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new Object());
    synchronized (mutex) {
      Path lockFile = file.resolveSibling(FILE + ".lock");
      try (FileChannel ch =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        values = read(file);
        return body.run();
      } catch (IOException e) {
        throw new SalusException(
            "dp.budget.unwritable", "cannot lock the budget file " + file + ": " + e.getMessage());
      }
    }
  }

  /** The researchers with a limit or spending recorded, sorted. */
  public java.util.SortedSet<String> researchers() {
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    for (String key : values.stringPropertyNames()) {
      if (key.startsWith("limit.")) {
        out.add(key.substring("limit.".length()));
      } else if (key.startsWith("spent.")) {
        out.add(key.substring("spent.".length()));
      }
    }
    return out;
  }

  /**
   * The zero-noise test mode: on only when the file's {@code test.zero-noise} is exactly {@value
   * #ZERO_NOISE_CONSENT}; any other value is refused, so a typo cannot switch it on or leave the
   * steward unsure. A node in this mode releases exact statistics (still clamped, charged and
   * logged), and every receipt says so in capitals; it is for tests, never for real data.
   */
  public boolean zeroNoise() {
    String v = values.getProperty(ZERO_NOISE_KEY);
    if (v == null) {
      return false;
    }
    if (!v.strip().equals(ZERO_NOISE_CONSENT)) {
      throw new SalusException(
          "dp.zero-noise.invalid",
          "budget file "
              + file
              + ": "
              + ZERO_NOISE_KEY
              + " must be exactly "
              + ZERO_NOISE_CONSENT
              + " or absent");
    }
    return true;
  }

  /** The property that switches the zero-noise test mode on. */
  public static final String ZERO_NOISE_KEY = "test.zero-noise";

  /** Its only accepted value. */
  public static final String ZERO_NOISE_CONSENT = "I-UNDERSTAND-RESULTS-ARE-NOT-PRIVATE";

  private double number(String key, double fallback) {
    String v = values.getProperty(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new SalusException("dp.budget.unreadable", "budget file " + file + ": bad " + key);
    }
  }

  private void save() {
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try {
      StringWriter text = new StringWriter();
      values.store(text, "salus privacy budgets (rho, zCDP)");
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
        while (bytes.hasRemaining()) {
          ch.write(bytes);
        }
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new SalusException("dp.budget.unwritable", "cannot write the budget file " + file);
    }
  }
}

package org.salus.store.study;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import org.salus.core.error.SalusException;

/**
 * A node's privacy budgets, one per researcher on the node's dataset, in the file {@code
 * budgets.properties} of the node directory: {@code default.rho} (the steward's limit for every
 * researcher, {@value #DEFAULT_RHO} when unset), {@code limit.<researcher>} (a researcher's own
 * limit) and {@code spent.<researcher>} (ρ committed so far). The file is rewritten whole on every
 * change (write to a temporary file, then move).
 */
public final class NodeBudgets {

  /** The limit when the steward has set none. */
  public static final double DEFAULT_RHO = 1.0;

  /** The file name inside the node directory. */
  public static final String FILE = "budgets.properties";

  private final Path file;
  private final Properties values;

  private NodeBudgets(Path file, Properties values) {
    this.file = file;
    this.values = values;
  }

  /** Reads the budgets of the node in {@code dir} (an absent file means defaults). */
  public static NodeBudgets open(Path dir) {
    Path file = dir.resolve(FILE);
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (IOException e) {
        throw new SalusException("dp.budget.unreadable", "cannot read the budget file " + file);
      }
    }
    return new NodeBudgets(file, p);
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
    values.setProperty(
        researcher.map(r -> "limit." + r).orElse("default.rho"), Double.toString(rho));
    save();
  }

  /** Records a committed charge. */
  public void spend(String researcher, double rho) {
    values.setProperty("spent." + researcher, Double.toString(spent(researcher) + rho));
    save();
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
      try (Writer w = Files.newBufferedWriter(tmp)) {
        values.store(w, "salus privacy budgets (rho, zCDP)");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new SalusException("dp.budget.unwritable", "cannot write the budget file " + file);
    }
  }
}

package org.salus.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned schema change, read from {@code db/migration/V<n>__<name>.sql}.
 *
 * @param version the number after {@code V}
 * @param name the words after {@code __}, underscores kept
 * @param sql the script: statements separated by {@code ;} at the end of a line
 */
public record Migration(int version, String name, String sql) {

  private static final Pattern FILE_NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

  public Migration {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sql, "sql");
    if (version < 1) {
      throw new IllegalArgumentException("migration versions start at 1, got " + version);
    }
  }

  /** Parses a file name such as {@code V2__ledger.sql}; empty when it is not a migration. */
  static java.util.Optional<Migration> fromFile(String fileName, String sql) {
    Matcher m = FILE_NAME.matcher(fileName);
    if (!m.matches()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Migration(Integer.parseInt(m.group(1)), m.group(2), sql));
  }

  /** SHA-256 of the script, hex: an applied migration edited afterwards no longer matches. */
  public String checksum() {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(d.digest(sql.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }

  /** The statements of the script, comments ({@code --} lines) removed. */
  List<String> statements() {
    StringBuilder clean = new StringBuilder();
    for (String line : sql.split("\n", -1)) {
      if (!line.strip().startsWith("--")) {
        clean.append(line).append('\n');
      }
    }
    return java.util.Arrays.stream(clean.toString().split(";\\s*(\n|$)"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}

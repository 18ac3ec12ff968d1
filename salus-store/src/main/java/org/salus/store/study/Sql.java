package org.salus.store.study;

import java.util.ArrayList;
import java.util.List;

/** Builds a SQL text and its parameters together, so placeholders and values cannot drift apart. */
final class Sql {

  private final StringBuilder text = new StringBuilder();
  private final List<Object> parameters = new ArrayList<>();

  Sql add(String sql) {
    text.append(sql);
    return this;
  }

  /** A string parameter. */
  Sql string(String value) {
    text.append('?');
    parameters.add(value);
    return this;
  }

  /** A double parameter, cast so every engine infers its type. */
  Sql number(double value) {
    text.append("CAST(? AS DOUBLE PRECISION)");
    parameters.add(value);
    return this;
  }

  /** An integer written into the text (only ever from typed study fields, never user strings). */
  Sql integer(int value) {
    text.append(value);
    return this;
  }

  /** {@code IN (?, ?, ...)} over the given strings. */
  Sql in(List<String> values) {
    text.append(" IN (");
    for (int i = 0; i < values.size(); i++) {
      text.append(i == 0 ? "" : ", ");
      string(values.get(i));
    }
    text.append(')');
    return this;
  }

  SqlQuery build() {
    return new SqlQuery(text.toString(), parameters);
  }
}

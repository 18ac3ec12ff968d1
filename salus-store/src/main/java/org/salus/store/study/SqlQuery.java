package org.salus.store.study;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** A SQL text with its positional parameters (strings, doubles, integers). */
public record SqlQuery(String sql, List<Object> parameters) {

  public SqlQuery {
    parameters = List.copyOf(parameters);
  }

  /** Prepares the statement and binds every parameter. */
  PreparedStatement prepare(Connection connection) throws SQLException {
    PreparedStatement ps = connection.prepareStatement(sql);
    bind(ps);
    return ps;
  }

  /** Binds every parameter to a statement prepared from this query's text. */
  void bind(PreparedStatement ps) throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      switch (parameters.get(i)) {
        case String s -> ps.setString(i + 1, s);
        case Double d -> ps.setDouble(i + 1, d);
        case Integer n -> ps.setInt(i + 1, n);
        default -> throw new IllegalStateException("unsupported parameter type");
      }
    }
  }
}

package org.salus.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.salus.core.record.KnownRecords;

/** {@link KnownRecords} answered from the store's tables, with statements prepared once. */
final class StoredRecords implements KnownRecords {

  private final Object lock;
  private final Connection connection;
  private PreparedStatement personKeyOf;
  private PreparedStatement hasVisit;

  StoredRecords(Object lock, Connection connection) {
    this.lock = lock;
    this.connection = connection;
  }

  @Override
  public Optional<String> personKeyOf(String personRecordKey) {
    synchronized (lock) {
      try {
        if (personKeyOf == null) {
          personKeyOf =
              connection.prepareStatement("SELECT person_key FROM person WHERE record_key = ?");
        }
        personKeyOf.setString(1, personRecordKey);
        try (ResultSet rs = personKeyOf.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      } catch (SQLException e) {
        throw NodeStore.readFailed("person", e);
      }
    }
  }

  @Override
  public boolean hasVisit(String visitRecordKey) {
    synchronized (lock) {
      try {
        if (hasVisit == null) {
          hasVisit =
              connection.prepareStatement("SELECT 1 FROM visit_occurrence WHERE record_key = ?");
        }
        hasVisit.setString(1, visitRecordKey);
        try (ResultSet rs = hasVisit.executeQuery()) {
          return rs.next();
        }
      } catch (SQLException e) {
        throw NodeStore.readFailed("visit_occurrence", e);
      }
    }
  }

  void close() throws SQLException {
    synchronized (lock) {
      if (personKeyOf != null) {
        personKeyOf.close();
      }
      if (hasVisit != null) {
        hasVisit.close();
      }
    }
  }
}

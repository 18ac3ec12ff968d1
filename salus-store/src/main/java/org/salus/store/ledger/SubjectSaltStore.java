package org.salus.store.ledger;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.salus.core.keys.SecretBytes;
import org.salus.core.ledger.event.SubjectSalt;

/** Per-patient subject salts; erasing a patient deletes the salt and so unlinks their entries. */
public final class SubjectSaltStore {

  private final Connection c;
  private final SecureRandom random;

  public SubjectSaltStore(Connection c, SecureRandom random) {
    this.c = c;
    this.random = random;
  }

  /** The patient's salt, created on first use. */
  public SubjectSalt saltFor(String personKey) {
    Optional<SubjectSalt> existing = find(personKey);
    if (existing.isPresent()) {
      return existing.get();
    }
    SubjectSalt salt = SubjectSalt.random(random);
    byte[] bytes = salt.secret().toByteArray();
    try (PreparedStatement s =
        c.prepareStatement("INSERT INTO ledger_subject_salt (person_key, salt) VALUES (?, ?)")) {
      s.setString(1, personKey);
      s.setBytes(2, bytes);
      s.executeUpdate();
      commitIfNeeded();
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.write-failed", "cannot store a subject salt", e);
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
    return salt;
  }

  public Optional<SubjectSalt> find(String personKey) {
    try (PreparedStatement s =
        c.prepareStatement("SELECT salt FROM ledger_subject_salt WHERE person_key = ?")) {
      s.setString(1, personKey);
      try (ResultSet r = s.executeQuery()) {
        return r.next()
            ? Optional.of(SubjectSalt.of(SecretBytes.copyOf(r.getBytes(1))))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot read a subject salt", e);
    }
  }

  /** Deletes the patient's salt; returns whether there was one. */
  public boolean erase(String personKey) {
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM ledger_subject_salt WHERE person_key = ?")) {
      s.setString(1, personKey);
      boolean erased = s.executeUpdate() > 0;
      commitIfNeeded();
      return erased;
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.write-failed", "cannot erase a subject salt", e);
    }
  }

  private void commitIfNeeded() throws SQLException {
    if (!c.getAutoCommit()) {
      c.commit();
    }
  }
}

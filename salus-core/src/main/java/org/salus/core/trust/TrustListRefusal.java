package org.salus.core.trust;

import java.time.Instant;

/** Why a trust list was refused. Carries the evidence, never a guess. */
public sealed interface TrustListRefusal {

  /** Stable code, for example {@code trust-list.expired}. */
  String code();

  /** One line for people. */
  String describe();

  /** The JWS did not verify against the operator key (no detail, on purpose). */
  record BadSignature() implements TrustListRefusal {
    @Override
    public String code() {
      return "trust-list.bad-signature";
    }

    @Override
    public String describe() {
      return "trust list signature does not verify against the operator key";
    }
  }

  /** Not a JWS or not a trust list document. */
  record Malformed(String detail) implements TrustListRefusal {
    @Override
    public String code() {
      return "trust-list.malformed";
    }

    @Override
    public String describe() {
      return "trust list is malformed: " + detail;
    }
  }

  record Expired(Instant expires, Instant now) implements TrustListRefusal {
    @Override
    public String code() {
      return "trust-list.expired";
    }

    @Override
    public String describe() {
      return "trust list expired at " + expires + " (now " + now + ")";
    }
  }

  record Older(long held, long offered) implements TrustListRefusal {
    @Override
    public String code() {
      return "trust-list.older";
    }

    @Override
    public String describe() {
      return "trust list version " + offered + " is older than the held version " + held;
    }
  }

  record WrongFederation(String held, String offered) implements TrustListRefusal {
    @Override
    public String code() {
      return "trust-list.wrong-federation";
    }

    @Override
    public String describe() {
      return "trust list is for federation '" + offered + "', not '" + held + "'";
    }
  }
}

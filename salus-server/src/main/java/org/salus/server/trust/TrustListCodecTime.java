package org.salus.server.trust;

import com.nimbusds.jose.JWSObject;
import java.text.ParseException;
import java.time.Instant;
import org.salus.core.error.SalusException;

/** Reads the {@code issued} instant of a signed trust list without verifying it. */
final class TrustListCodecTime {

  private TrustListCodecTime() {}

  static Instant issuedInstant(String jws) {
    try {
      Object issued = JWSObject.parse(jws.strip()).getPayload().toJSONObject().get("issued");
      return Instant.parse(String.valueOf(issued));
    } catch (ParseException | java.time.format.DateTimeParseException | NullPointerException e) {
      throw new SalusException("trust-list.malformed", "trust list has no readable 'issued'");
    }
  }
}

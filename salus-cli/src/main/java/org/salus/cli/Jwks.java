package org.salus.cli;

import com.nimbusds.jose.jwk.JWK;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import org.salus.core.error.SalusException;

/** Reads JSON Web Keys from files for the commands. */
final class Jwks {

  private Jwks() {}

  static JWK read(Path file, String option) throws IOException {
    try {
      return JWK.parse(Files.readString(file));
    } catch (ParseException e) {
      throw new SalusException("key.invalid", option + " " + file + " is not a JSON Web Key");
    }
  }
}

package org.salus.server.trust;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The node id a federation certificate names: its {@code urn:salus:node:<id>} SAN. */
public final class NodeIdentity {

  private static final String PREFIX = "urn:salus:node:";
  private static final int SAN_URI = 6;

  private NodeIdentity() {}

  static String uri(String nodeId) {
    return PREFIX + nodeId;
  }

  /** The node id in the certificate, if it names exactly one. */
  public static Optional<String> of(X509Certificate cert) {
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans == null) {
        return Optional.empty();
      }
      List<String> ids =
          sans.stream()
              .filter(s -> s.size() == 2 && Integer.valueOf(SAN_URI).equals(s.get(0)))
              .map(s -> String.valueOf(s.get(1)))
              .filter(u -> u.startsWith(PREFIX))
              .map(u -> u.substring(PREFIX.length()))
              .toList();
      return ids.size() == 1 ? Optional.of(ids.get(0)) : Optional.empty();
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
  }
}

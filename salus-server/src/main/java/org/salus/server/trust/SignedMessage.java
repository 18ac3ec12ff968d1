package org.salus.server.trust;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import org.salus.core.error.SalusException;
import org.salus.core.trust.TrustList;
import org.salus.core.trust.TrustedNodeEntry;

/**
 * A state-changing message between nodes, kept as evidence: a compact JWS (RFC 7515, alg EdDSA, RFC
 * 8037) signed with the sending node's Ed25519 key, {@code kid} = node id, {@code typ} = {@code
 * salus-msg+jws}, and the message kind in the {@code salus-kind} header.
 *
 * @param sender the node id that signed it
 * @param kind what the message is, for example {@code study.approve}
 * @param body the JSON body
 * @param compact the JWS as sent, to keep as evidence
 */
public record SignedMessage(String sender, String kind, Map<String, Object> body, String compact) {

  private static final JOSEObjectType TYPE = new JOSEObjectType("salus-msg+jws");
  private static final String KIND = "salus-kind";

  public static SignedMessage sign(
      String nodeId, OctetKeyPair nodeKey, String kind, Map<String, Object> body) {
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .type(TYPE)
                .keyID(nodeId)
                .customParam(KIND, kind)
                .build(),
            new Payload(body));
    try {
      jws.sign(new Ed25519Signer(nodeKey));
    } catch (JOSEException e) {
      throw new IllegalStateException("message cannot be signed", e);
    }
    return new SignedMessage(nodeId, kind, body, jws.serialize());
  }

  /**
   * Verifies a message against the sender's key in the trust list.
   *
   * @throws SalusException {@code message.invalid} (no detail: an attacker learns nothing)
   */
  public static SignedMessage verify(String compact, TrustList trustList) {
    try {
      JWSObject jws = JWSObject.parse(compact);
      JWSHeader h = jws.getHeader();
      Optional<TrustedNodeEntry> sender =
          Optional.ofNullable(h.getKeyID()).flatMap(trustList::node);
      if (!JWSAlgorithm.EdDSA.equals(h.getAlgorithm())
          || !TYPE.equals(h.getType())
          || sender.isEmpty()
          || !(h.getCustomParam(KIND) instanceof String kind)) {
        throw invalid();
      }
      OctetKeyPair key =
          Ed25519Keys.parse(sender.get().signingJwk(), Curve.Ed25519, "node signing key");
      if (!jws.verify(new Ed25519Verifier(key.toPublicJWK()))) {
        throw invalid();
      }
      return new SignedMessage(h.getKeyID(), kind, jws.getPayload().toJSONObject(), compact);
    } catch (ParseException | JOSEException e) {
      throw invalid();
    }
  }

  private static SalusException invalid() {
    return new SalusException("message.invalid", "signed message does not verify");
  }

  @Override
  public String toString() {
    return "SignedMessage[sender=" + sender + ", kind=" + kind + "]";
  }
}

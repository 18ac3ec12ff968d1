package org.salus.server.trust;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.salus.core.trust.IssuerKind;
import org.salus.core.trust.TrustList;
import org.salus.core.trust.TrustedIssuer;
import org.salus.core.trust.TrustedNodeEntry;

/**
 * The trust list's JSON form (documented in docs/trust.md). Keys are embedded as JWK objects,
 * certificates as PEM strings, instants as RFC 3339 strings.
 */
public final class TrustListCodec {

  private TrustListCodec() {}

  public static Map<String, Object> toJson(TrustList list) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("federation", list.federationId());
    m.put("version", list.version());
    m.put("issued", list.issued().toString());
    m.put("expires", list.expires().toString());
    List<Object> nodes = new ArrayList<>();
    for (TrustedNodeEntry n : list.nodes()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("id", n.id());
      o.put("name", n.name());
      o.put("country", n.country());
      o.put("baseUrl", n.baseUrl());
      o.put("signingKey", jwk(n.signingJwk()));
      o.put("agreementKey", jwk(n.agreementJwk()));
      o.put("tlsCertificate", n.tlsCertificatePem());
      o.put("acceptedIssuers", n.acceptedIssuers().stream().sorted().toList());
      nodes.add(o);
    }
    m.put("nodes", nodes);
    List<Object> issuers = new ArrayList<>();
    for (TrustedIssuer i : list.issuers()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("id", i.id());
      o.put("name", i.name());
      o.put("kind", i.kind().name().toLowerCase(Locale.ROOT));
      o.put("country", i.country());
      o.put("key", jwk(i.jwk()));
      o.put("statusListUrl", i.statusListUrl());
      issuers.add(o);
    }
    m.put("issuers", issuers);
    return m;
  }

  /**
   * Reads the JSON form.
   *
   * @throws ParseException or {@link IllegalArgumentException} when a field is missing or wrong
   */
  public static TrustList fromJson(Map<String, Object> m) throws ParseException {
    List<TrustedNodeEntry> nodes = new ArrayList<>();
    for (Map<String, Object> o : objects(m, "nodes")) {
      nodes.add(
          new TrustedNodeEntry(
              str(o, "id"),
              str(o, "name"),
              str(o, "country"),
              str(o, "baseUrl"),
              JSONObjectUtils.toJSONString(JSONObjectUtils.getJSONObject(o, "signingKey")),
              JSONObjectUtils.toJSONString(JSONObjectUtils.getJSONObject(o, "agreementKey")),
              str(o, "tlsCertificate"),
              Set.copyOf(JSONObjectUtils.getStringList(o, "acceptedIssuers"))));
    }
    List<TrustedIssuer> issuers = new ArrayList<>();
    for (Map<String, Object> o : objects(m, "issuers")) {
      issuers.add(
          new TrustedIssuer(
              str(o, "id"),
              str(o, "name"),
              IssuerKind.valueOf(str(o, "kind").toUpperCase(Locale.ROOT)),
              str(o, "country"),
              JSONObjectUtils.toJSONString(JSONObjectUtils.getJSONObject(o, "key")),
              str(o, "statusListUrl")));
    }
    return new TrustList(
        str(m, "federation"),
        JSONObjectUtils.getLong(m, "version"),
        Instant.parse(str(m, "issued")),
        Instant.parse(str(m, "expires")),
        nodes,
        issuers);
  }

  private static List<Map<String, Object>> objects(Map<String, Object> m, String key)
      throws ParseException {
    Map<String, Object>[] arr = JSONObjectUtils.getJSONObjectArray(m, key);
    if (arr == null) {
      throw new ParseException("missing '" + key + "'", 0);
    }
    return List.of(arr);
  }

  private static String str(Map<String, Object> m, String key) throws ParseException {
    String s = JSONObjectUtils.getString(m, key);
    if (s == null) {
      throw new ParseException("missing '" + key + "'", 0);
    }
    return s;
  }

  private static Map<String, Object> jwk(String json) {
    try {
      return JSONObjectUtils.parse(json);
    } catch (ParseException e) {
      throw new IllegalArgumentException("key is not a JSON object", e);
    }
  }
}

package org.salus.store.study;

import static org.salus.store.study.StudyWire.field;
import static org.salus.store.study.StudyWire.integer;
import static org.salus.store.study.StudyWire.parse;
import static org.salus.store.study.StudyWire.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.salus.core.error.SalusException;
import org.salus.core.secagg.AdvertiseKeys;
import org.salus.core.secagg.DeclinedRound;
import org.salus.core.secagg.EncryptedShares;
import org.salus.core.secagg.KeyDirectory;
import org.salus.core.secagg.MaskedInput;
import org.salus.core.secagg.OneTripInput;
import org.salus.core.secagg.ShamirShare;
import org.salus.core.secagg.ShareDelivery;
import org.salus.core.secagg.UnmaskRequest;
import org.salus.core.secagg.UnmaskResponse;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.SecureOneTrip;
import org.salus.core.study.run.SecureOpening;
import org.salus.core.study.run.SecurePreparation;
import org.salus.core.study.run.SecureRound;
import org.salus.core.study.run.SecureStep;

/**
 * The secure-aggregation phases of a study step on the wire ({@code POST
 * /studies/{id}/secagg/open|share-keys|masked-input|unmask}, and for one-trip rounds {@code
 * prepare|prepare-shares|one-trip}; docs/secagg-dp.md, "Wire format"). Keys and ciphertexts travel
 * as base64url without padding, a masked vector as base64url of its 64-bit words in little-endian
 * order, Shamir share values as lowercase hex; participant numbers key the maps. Every request
 * names its round. A malformed message is {@code study.wire.malformed}.
 */
public final class SecureWire {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

  /** Longest masked vector a message may carry (8 MiB of words). */
  private static final int MAX_LENGTH = 1 << 20;

  private SecureWire() {}

  /** A phase request: the round id and its phase-specific body. */
  public record Request<T>(String roundId, T body) {}

  // --- phase 0

  public static String encode(SecureRound r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("roundId", r.roundId());
    o.set("step", parse(StudyWire.encode(r.step())));
    o.put("participant", r.participant());
    ArrayNode ps = o.putArray("participants");
    r.participants().forEach(ps::add);
    o.put("threshold", r.threshold());
    o.put("vectorLength", r.vectorLength());
    return o.toString();
  }

  public static SecureRound decodeRound(String json) {
    JsonNode o = parse(json);
    try {
      return new SecureRound(
          text(o, "roundId"),
          StudyWire.decodeStep(field(o, "step").toString()),
          integer(o, "participant"),
          ints(o, "participants"),
          integer(o, "threshold"),
          integer(o, "vectorLength"));
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  public static String encode(SecureOpening opening) {
    ObjectNode o = MAPPER.createObjectNode();
    switch (opening) {
      case SecureOpening.Advertised a -> {
        o.put("advertised", true);
        o.set("keys", keys(a.keys()));
      }
      case SecureOpening.Declined d -> {
        o.put("advertised", false);
        o.set("reply", parse(StudyWire.encode(d.reply())));
      }
    }
    return o.toString();
  }

  public static SecureOpening decodeOpening(String json) {
    JsonNode o = parse(json);
    JsonNode advertised = field(o, "advertised");
    if (!advertised.isBoolean()) {
      throw malformed("advertised: expected true or false");
    }
    if (advertised.asBoolean()) {
      return new SecureOpening.Advertised(keys(field(o, "keys")));
    }
    NodeReply reply = StudyWire.decodeReply(field(o, "reply").toString());
    if (reply instanceof NodeReply.Released) {
      throw malformed("reply: a declining node releases nothing");
    }
    return new SecureOpening.Declined(reply);
  }

  private static ObjectNode keys(AdvertiseKeys k) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("from", k.from());
    o.put("encryptionKey", B64.encodeToString(k.encryptionKey()));
    o.put("maskingKey", B64.encodeToString(k.maskingKey()));
    return o;
  }

  private static AdvertiseKeys keys(JsonNode o) {
    return new AdvertiseKeys(integer(o, "from"), bytes(o, "encryptionKey"), bytes(o, "maskingKey"));
  }

  // --- phase 1

  public static String encode(String roundId, KeyDirectory d) {
    ObjectNode o = round(roundId);
    o.set("directory", directory(d));
    return o.toString();
  }

  public static Request<KeyDirectory> decodeDirectory(String json) {
    JsonNode o = parse(json);
    return new Request<>(text(o, "roundId"), directory(object(o, "directory")));
  }

  public static String encode(EncryptedShares s) {
    return sharesNode(s).toString();
  }

  public static EncryptedShares decodeShares(String json) {
    return shares(parse(json), "shares");
  }

  private static ObjectNode sharesNode(EncryptedShares s) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("from", s.from());
    o.set("ciphertexts", byId(s.ciphertextsByRecipient()));
    return o;
  }

  private static EncryptedShares shares(JsonNode o, String name) {
    if (!o.isObject()) {
      throw malformed(name + ": expected an object");
    }
    return new EncryptedShares(integer(o, "from"), byId(object(o, "ciphertexts")));
  }

  private static ObjectNode directory(KeyDirectory d) {
    ObjectNode keys = MAPPER.createObjectNode();
    d.keys().forEach((id, k) -> keys.set(String.valueOf(id), keys(k)));
    return keys;
  }

  private static KeyDirectory directory(JsonNode o) {
    SortedMap<Integer, AdvertiseKeys> keys = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      keys.put(id(e.getKey()), keys(e.getValue()));
    }
    return new KeyDirectory(keys);
  }

  // --- phase 2

  public static String encode(String roundId, ShareDelivery d) {
    ObjectNode o = round(roundId);
    o.set("delivery", delivery(d));
    return o.toString();
  }

  public static Request<ShareDelivery> decodeDelivery(String json) {
    JsonNode o = parse(json);
    return new Request<>(text(o, "roundId"), delivery(object(o, "delivery")));
  }

  private static ObjectNode delivery(ShareDelivery d) {
    ObjectNode delivery = MAPPER.createObjectNode();
    delivery.put("recipient", d.recipient());
    delivery.set("ciphertexts", byId(d.ciphertextsBySender()));
    return delivery;
  }

  private static ShareDelivery delivery(JsonNode d) {
    return new ShareDelivery(integer(d, "recipient"), byId(object(d, "ciphertexts")));
  }

  public static String encode(MaskedInput m) {
    return maskedNode(m).toString();
  }

  private static ObjectNode maskedNode(MaskedInput m) {
    long[] y = m.masked();
    ByteBuffer b = ByteBuffer.allocate(y.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : y) {
      b.putLong(v);
    }
    ObjectNode o = MAPPER.createObjectNode();
    o.put("from", m.from());
    o.put("masked", B64.encodeToString(b.array()));
    return o;
  }

  public static MaskedInput decodeMasked(String json) {
    return masked(parse(json));
  }

  private static MaskedInput masked(JsonNode o) {
    byte[] raw = bytes(o, "masked");
    if (raw.length % 8 != 0 || raw.length / 8 > MAX_LENGTH) {
      throw malformed("masked: expected whole 64-bit words, at most " + MAX_LENGTH);
    }
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    long[] y = new long[raw.length / 8];
    for (int i = 0; i < y.length; i++) {
      y[i] = b.getLong();
    }
    return new MaskedInput(integer(o, "from"), y);
  }

  // --- phase 3

  public static String encode(String roundId, UnmaskRequest r) {
    ObjectNode o = round(roundId);
    ObjectNode q = o.putObject("request");
    q.put("recipient", r.recipient());
    ArrayNode self = q.putArray("selfMaskOf");
    r.selfMaskOf().forEach(self::add);
    ArrayNode secret = q.putArray("secretKeyOf");
    r.secretKeyOf().forEach(secret::add);
    return o.toString();
  }

  public static Request<UnmaskRequest> decodeUnmaskRequest(String json) {
    JsonNode o = parse(json);
    JsonNode q = object(o, "request");
    return new Request<>(
        text(o, "roundId"),
        new UnmaskRequest(integer(q, "recipient"), ints(q, "selfMaskOf"), ints(q, "secretKeyOf")));
  }

  public static String encode(UnmaskResponse r) {
    return unmaskNode(r).toString();
  }

  private static ObjectNode unmaskNode(UnmaskResponse r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("from", r.from());
    o.set("selfMaskShares", shares(r.selfMaskShares()));
    o.set("secretKeyShares", shares(r.secretKeyShares()));
    return o;
  }

  public static UnmaskResponse decodeUnmaskResponse(String json) {
    return unmaskResponse(parse(json));
  }

  private static UnmaskResponse unmaskResponse(JsonNode o) {
    return new UnmaskResponse(
        integer(o, "from"),
        shares(object(o, "selfMaskShares")),
        shares(object(o, "secretKeyShares")));
  }

  private static ObjectNode shares(SortedMap<Integer, ShamirShare> shares) {
    ObjectNode o = MAPPER.createObjectNode();
    shares.forEach(
        (id, s) -> o.putObject(String.valueOf(id)).put("x", s.x()).put("y", s.y().toString(16)));
    return o;
  }

  private static SortedMap<Integer, ShamirShare> shares(JsonNode o) {
    SortedMap<Integer, ShamirShare> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      String y = text(e.getValue(), "y");
      if (y.isEmpty() || y.length() > 200 || !y.matches("[0-9a-f]+")) {
        throw malformed("y: expected lowercase hex");
      }
      try {
        out.put(id(e.getKey()), new ShamirShare(integer(e.getValue(), "x"), new BigInteger(y, 16)));
      } catch (IllegalArgumentException ex) {
        throw malformed("share of " + e.getKey() + ": " + ex.getMessage());
      }
    }
    return out;
  }

  // --- one-trip rounds: prepare, prepare-shares, one-trip

  public static String encode(SecurePreparation p) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode ids = o.putArray("roundIds");
    p.roundIds().forEach(ids::add);
    o.put("participant", p.participant());
    ArrayNode ps = o.putArray("participants");
    p.participants().forEach(ps::add);
    o.put("threshold", p.threshold());
    return o.toString();
  }

  public static SecurePreparation decodePreparation(String json) {
    JsonNode o = parse(json);
    try {
      return new SecurePreparation(
          texts(o, "roundIds"),
          integer(o, "participant"),
          ints(o, "participants"),
          integer(o, "threshold"));
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  /** A node's keys for each prepared round, in the preparation's order. */
  public static String encodeKeys(List<AdvertiseKeys> keys) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode a = o.putArray("keys");
    keys.forEach(k -> a.add(keys(k)));
    return o.toString();
  }

  public static List<AdvertiseKeys> decodeKeys(String json) {
    List<AdvertiseKeys> out = new ArrayList<>();
    for (JsonNode k : array(parse(json), "keys")) {
      out.add(keys(k));
    }
    return out;
  }

  /** The prepared rounds' key directories, one per round. */
  public static String encodeDirectories(List<String> roundIds, List<KeyDirectory> directories) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode a = o.putArray("rounds");
    for (int i = 0; i < roundIds.size(); i++) {
      ObjectNode r = round(roundIds.get(i));
      r.set("directory", directory(directories.get(i)));
      a.add(r);
    }
    return o.toString();
  }

  public static List<Request<KeyDirectory>> decodeDirectories(String json) {
    List<Request<KeyDirectory>> out = new ArrayList<>();
    for (JsonNode r : array(parse(json), "rounds")) {
      out.add(new Request<>(text(r, "roundId"), directory(object(r, "directory"))));
    }
    return out;
  }

  public static String encodeShares(List<EncryptedShares> shares) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode a = o.putArray("shares");
    shares.forEach(s -> a.add(sharesNode(s)));
    return o.toString();
  }

  public static List<EncryptedShares> decodeShareList(String json) {
    List<EncryptedShares> out = new ArrayList<>();
    for (JsonNode s : array(parse(json), "shares")) {
      out.add(shares(s, "shares"));
    }
    return out;
  }

  public static String encode(SecureStep s) {
    ObjectNode o = round(s.roundId());
    o.set("step", parse(StudyWire.encode(s.step())));
    o.put("vectorLength", s.vectorLength());
    o.set("delivery", delivery(s.delivery()));
    return o.toString();
  }

  public static SecureStep decodeStep(String json) {
    JsonNode o = parse(json);
    try {
      return new SecureStep(
          text(o, "roundId"),
          StudyWire.decodeStep(field(o, "step").toString()),
          integer(o, "vectorLength"),
          delivery(object(o, "delivery")));
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  public static String encode(SecureOneTrip answer) {
    ObjectNode o = MAPPER.createObjectNode();
    switch (answer) {
      case SecureOneTrip.Contributed c -> {
        o.put("contributed", true);
        o.set("masked", maskedNode(c.input().masked()));
        o.set("shares", unmaskNode(c.input().selfMaskShares()));
      }
      case SecureOneTrip.Declined d -> {
        o.put("contributed", false);
        o.set("reply", parse(StudyWire.encode(d.reply())));
        d.key()
            .ifPresent(
                k -> {
                  o.put("from", k.from());
                  o.put("maskingKey", B64.encodeToString(k.maskingSecretKey().toByteArray()));
                });
      }
    }
    return o.toString();
  }

  public static SecureOneTrip decodeOneTrip(String json) {
    JsonNode o = parse(json);
    JsonNode contributed = field(o, "contributed");
    if (!contributed.isBoolean()) {
      throw malformed("contributed: expected true or false");
    }
    try {
      if (contributed.asBoolean()) {
        return new SecureOneTrip.Contributed(
            new OneTripInput(masked(object(o, "masked")), unmaskResponse(object(o, "shares"))));
      }
      NodeReply reply = StudyWire.decodeReply(field(o, "reply").toString());
      if (reply instanceof NodeReply.Released) {
        throw malformed("reply: a declining node releases nothing");
      }
      if (!o.has("maskingKey")) {
        return new SecureOneTrip.Declined(reply, Optional.empty());
      }
      return new SecureOneTrip.Declined(
          reply,
          new DeclinedRound(
              integer(o, "from"), org.salus.core.keys.SecretBytes.copyOf(bytes(o, "maskingKey"))));
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  // --- helpers

  private static JsonNode array(JsonNode o, String name) {
    JsonNode a = field(o, name);
    if (!a.isArray()) {
      throw malformed(name + ": expected an array");
    }
    return a;
  }

  private static List<String> texts(JsonNode o, String name) {
    List<String> out = new ArrayList<>();
    for (JsonNode v : array(o, name)) {
      if (!v.isTextual()) {
        throw malformed(name + ": expected strings");
      }
      out.add(v.asText());
    }
    return out;
  }

  private static ObjectNode round(String roundId) {
    return MAPPER.createObjectNode().put("roundId", roundId);
  }

  private static ObjectNode byId(SortedMap<Integer, byte[]> m) {
    ObjectNode o = MAPPER.createObjectNode();
    m.forEach((id, c) -> o.put(String.valueOf(id), B64.encodeToString(c)));
    return o;
  }

  private static SortedMap<Integer, byte[]> byId(JsonNode o) {
    SortedMap<Integer, byte[]> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      if (!e.getValue().isTextual()) {
        throw malformed(e.getKey() + ": expected base64url");
      }
      out.put(id(e.getKey()), b64(e.getValue().asText(), e.getKey()));
    }
    return out;
  }

  private static int id(String key) {
    try {
      int id = Integer.parseInt(key);
      if (id < 1) {
        throw malformed("participant numbers are positive, got " + key);
      }
      return id;
    } catch (NumberFormatException e) {
      throw malformed("participant numbers key the map, got " + key);
    }
  }

  private static JsonNode object(JsonNode o, String name) {
    JsonNode v = field(o, name);
    if (!v.isObject()) {
      throw malformed(name + ": expected an object");
    }
    return v;
  }

  private static SortedSet<Integer> ints(JsonNode o, String name) {
    JsonNode a = field(o, name);
    if (!a.isArray()) {
      throw malformed(name + ": expected an array");
    }
    SortedSet<Integer> out = new TreeSet<>();
    for (JsonNode v : a) {
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw malformed(name + ": expected integers");
      }
      out.add(v.asInt());
    }
    return out;
  }

  private static byte[] bytes(JsonNode o, String name) {
    return b64(text(o, name), name);
  }

  private static byte[] b64(String s, String name) {
    try {
      return UNB64.decode(s);
    } catch (IllegalArgumentException e) {
      throw malformed(name + ": expected base64url");
    }
  }

  private static SalusException malformed(String detail) {
    return new SalusException(StudyWire.MALFORMED, "secure aggregation message: " + detail);
  }
}

package org.salus.server.study;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.LinkedHashMap;
import java.util.Map;
import org.salus.server.records.RecordsPort.Reply;

/** The 503 problem a port answers when its service does not run on this node. */
final class Unavailable {

  private Unavailable() {}

  static Reply reply(String code, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "urn:salus:problem:" + code);
    body.put("title", "Service unavailable");
    body.put("status", 503);
    body.put("detail", detail);
    body.put("code", code);
    return new Reply(503, "application/problem+json", JSONObjectUtils.toJSONString(body));
  }
}

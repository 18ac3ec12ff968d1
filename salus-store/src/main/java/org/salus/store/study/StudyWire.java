package org.salus.store.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.salus.core.disclosure.DisclosureRule;
import org.salus.core.error.SalusException;
import org.salus.core.stats.BinCounts;
import org.salus.core.stats.BinaryLevel;
import org.salus.core.stats.CohortSize;
import org.salus.core.stats.CoxStatistics;
import org.salus.core.stats.CrossTable;
import org.salus.core.stats.GlmStatistics;
import org.salus.core.stats.Moments;
import org.salus.core.stats.RiskTable;
import org.salus.core.stats.Statistic;
import org.salus.core.study.run.Joining;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.StepRequest;

/**
 * The hub↔node study contract on the wire (docs/studies.md, "Hub and nodes"): {@link Joining},
 * {@link StepRequest} and {@link NodeReply} with every {@link Statistic} as JSON. Doubles travel as
 * JSON numbers in Java's shortest round-trip form (non-finite ones as the strings {@code NaN},
 * {@code Infinity}), so a statistic decodes to exactly the value the node computed and a fit over
 * HTTP equals the fit in one process. A malformed message is {@code study.wire.malformed} naming
 * the field.
 */
public final class StudyWire {

  /** Stable code of a message that does not decode. */
  public static final String MALFORMED = "study.wire.malformed";

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .build();

  private StudyWire() {}

  // --- joining

  public static String encode(Joining joining) {
    ObjectNode o = MAPPER.createObjectNode();
    switch (joining) {
      case Joining.Joined j -> o.put("joined", true).put("consentSnapshot", j.consentSnapshot());
      case Joining.Declined d ->
          o.put("joined", false).put("code", d.code()).put("message", d.message());
    }
    return write(o);
  }

  public static Joining decodeJoining(String json) {
    JsonNode o = parse(json);
    return bool(o, "joined")
        ? new Joining.Joined(text(o, "consentSnapshot"))
        : new Joining.Declined(text(o, "code"), text(o, "message"));
  }

  // --- step request

  public static String encode(StepRequest request) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("analysis", request.analysis()).put("iteration", request.iteration());
    ArrayNode beta = o.putArray("beta");
    request.beta().forEach(beta::add);
    return write(o);
  }

  public static StepRequest decodeStep(String json) {
    JsonNode o = parse(json);
    try {
      return new StepRequest(
          integer(o, "analysis"), integer(o, "iteration"), doubles(array(o, "beta"), "beta"));
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  // --- node reply

  public static String encode(NodeReply reply) {
    ObjectNode o = MAPPER.createObjectNode();
    switch (reply) {
      case NodeReply.Released r -> {
        o.put("reply", "released");
        o.set("statistic", statistic(r.statistic()));
      }
      case NodeReply.Withheld w ->
          o.put("reply", "withheld")
              .put("rule", w.rule().name())
              .put("explanation", w.explanation())
              .put("remedy", w.remedy());
      case NodeReply.Failed f ->
          o.put("reply", "failed").put("code", f.code()).put("message", f.message());
    }
    return write(o);
  }

  public static NodeReply decodeReply(String json) {
    JsonNode o = parse(json);
    String kind = text(o, "reply");
    return switch (kind) {
      case "released" -> new NodeReply.Released(statistic(field(o, "statistic")));
      case "withheld" -> {
        DisclosureRule rule;
        try {
          rule = DisclosureRule.valueOf(text(o, "rule"));
        } catch (IllegalArgumentException e) {
          throw malformed("rule: unknown disclosure rule");
        }
        yield new NodeReply.Withheld(rule, text(o, "explanation"), text(o, "remedy"));
      }
      case "failed" -> new NodeReply.Failed(text(o, "code"), text(o, "message"));
      default -> throw malformed("reply: expected released, withheld or failed, not " + kind);
    };
  }

  // --- statistics

  static ObjectNode statistic(Statistic s) {
    ObjectNode o = MAPPER.createObjectNode();
    switch (s) {
      case CohortSize c -> o.put("type", "cohortSize").put("n", c.n());
      case Moments m ->
          o.put("type", "moments")
              .put("n", m.n())
              .put("sum", m.sum())
              .put("sumOfSquares", m.sumOfSquares());
      case BinCounts b -> {
        o.put("type", "binCounts").put("below", b.below()).put("above", b.above());
        ArrayNode edges = o.putArray("edges");
        b.edges().forEach(edges::add);
        ArrayNode counts = o.putArray("counts");
        b.counts().forEach(counts::add);
      }
      case CrossTable t -> {
        o.put("type", "crossTable");
        ArrayNode cells = o.putArray("cells");
        t.counts()
            .forEach(
                (cell, n) ->
                    cells
                        .addObject()
                        .put("row", cell.row())
                        .put("column", cell.column())
                        .put("count", n));
      }
      case RiskTable r -> {
        o.put("type", "riskTable");
        ArrayNode rows = o.putArray("rows");
        for (RiskTable.Row row : r.rows()) {
          rows.addObject()
              .put("group", row.group())
              .put("bin", row.bin())
              .put("events", row.events())
              .put("exits", row.exits());
        }
      }
      case GlmStatistics g -> {
        o.put("type", "glm")
            .put("parameters", g.parameters())
            .put("deviance", g.deviance())
            .put("n", g.n());
        numbers(o.putArray("information"), g.information());
        numbers(o.putArray("weightedResponse"), g.weightedResponse());
        ArrayNode levels = o.putArray("levels");
        for (BinaryLevel l : g.levels()) {
          levels
              .addObject()
              .put("variable", l.variable())
              .put("ones", l.ones())
              .put("total", l.total());
        }
      }
      case CoxStatistics c -> {
        o.put("type", "cox").put("parameters", c.parameters());
        ArrayNode bins = o.putArray("bins");
        for (CoxStatistics.Bin b : c.bins()) {
          ObjectNode bin =
              bins.addObject()
                  .put("bin", b.bin())
                  .put("events", b.events())
                  .put("exits", b.exits())
                  .put("r", b.r());
          numbers(bin.putArray("eventSum"), b.eventSum());
          numbers(bin.putArray("rx"), b.rx());
          numbers(bin.putArray("rxx"), b.rxx());
        }
      }
    }
    return o;
  }

  static Statistic statistic(JsonNode o) {
    String type = text(o, "type");
    try {
      return switch (type) {
        case "cohortSize" -> new CohortSize(longValue(o, "n"));
        case "moments" ->
            new Moments(longValue(o, "n"), number(o, "sum"), number(o, "sumOfSquares"));
        case "binCounts" ->
            new BinCounts(
                doubles(array(o, "edges"), "edges"),
                longs(array(o, "counts"), "counts"),
                longValue(o, "below"),
                longValue(o, "above"));
        case "crossTable" -> {
          TreeMap<CrossTable.Cell, Long> counts = new TreeMap<>();
          for (JsonNode cell : array(o, "cells")) {
            counts.put(
                new CrossTable.Cell(text(cell, "row"), text(cell, "column")),
                longValue(cell, "count"));
          }
          yield new CrossTable(counts);
        }
        case "riskTable" -> {
          List<RiskTable.Row> rows = new ArrayList<>();
          for (JsonNode row : array(o, "rows")) {
            rows.add(
                new RiskTable.Row(
                    text(row, "group"),
                    integer(row, "bin"),
                    longValue(row, "events"),
                    longValue(row, "exits")));
          }
          yield new RiskTable(rows);
        }
        case "glm" -> {
          List<BinaryLevel> levels = new ArrayList<>();
          for (JsonNode l : array(o, "levels")) {
            levels.add(
                new BinaryLevel(text(l, "variable"), longValue(l, "ones"), longValue(l, "total")));
          }
          yield new GlmStatistics(
              integer(o, "parameters"),
              doubleArray(array(o, "information"), "information"),
              doubleArray(array(o, "weightedResponse"), "weightedResponse"),
              number(o, "deviance"),
              longValue(o, "n"),
              levels);
        }
        case "cox" -> {
          List<CoxStatistics.Bin> bins = new ArrayList<>();
          for (JsonNode b : array(o, "bins")) {
            bins.add(
                new CoxStatistics.Bin(
                    integer(b, "bin"),
                    longValue(b, "events"),
                    longValue(b, "exits"),
                    doubleArray(array(b, "eventSum"), "eventSum"),
                    number(b, "r"),
                    doubleArray(array(b, "rx"), "rx"),
                    doubleArray(array(b, "rxx"), "rxx")));
          }
          yield new CoxStatistics(integer(o, "parameters"), bins);
        }
        default -> throw malformed("statistic.type: unknown statistic " + type);
      };
    } catch (IllegalArgumentException e) {
      throw malformed("statistic (" + type + "): " + e.getMessage());
    }
  }

  // --- helpers

  private static String write(JsonNode o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a study message cannot be written", e);
    }
  }

  private static void numbers(ArrayNode a, double[] values) {
    for (double v : values) {
      a.add(v);
    }
  }

  /** Shared with {@link SecureWire}: errors name the field, code {@link #MALFORMED}. */
  static JsonNode parse(String json) {
    try {
      JsonNode n = MAPPER.readTree(json);
      if (n == null || !n.isObject()) {
        throw malformed("expected a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw malformed("not valid JSON at line " + e.getLocation().getLineNr());
    }
  }

  /** Shared with {@link SecureWire}: errors name the field, code {@link #MALFORMED}. */
  static JsonNode field(JsonNode o, String name) {
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      throw malformed(name + ": missing");
    }
    return v;
  }

  /** Shared with {@link SecureWire}: errors name the field, code {@link #MALFORMED}. */
  static String text(JsonNode o, String name) {
    JsonNode v = field(o, name);
    if (!v.isTextual()) {
      throw malformed(name + ": expected a string");
    }
    return v.asText();
  }

  private static boolean bool(JsonNode o, String name) {
    JsonNode v = field(o, name);
    if (!v.isBoolean()) {
      throw malformed(name + ": expected true or false");
    }
    return v.asBoolean();
  }

  /** Shared with {@link SecureWire}: errors name the field, code {@link #MALFORMED}. */
  static int integer(JsonNode o, String name) {
    JsonNode v = field(o, name);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw malformed(name + ": expected an integer");
    }
    return v.asInt();
  }

  private static long longValue(JsonNode o, String name) {
    JsonNode v = field(o, name);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw malformed(name + ": expected an integer");
    }
    return v.asLong();
  }

  private static double number(JsonNode o, String name) {
    return numberValue(field(o, name), name);
  }

  private static double numberValue(JsonNode v, String where) {
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isTextual()) {
      switch (v.asText()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw malformed(where + ": expected a number");
  }

  private static JsonNode array(JsonNode o, String name) {
    JsonNode v = field(o, name);
    if (!v.isArray()) {
      throw malformed(name + ": expected an array");
    }
    return v;
  }

  private static List<Double> doubles(JsonNode a, String name) {
    List<Double> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(numberValue(a.get(i), name + "[" + i + "]"));
    }
    return out;
  }

  private static double[] doubleArray(JsonNode a, String name) {
    return doubles(a, name).stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static List<Long> longs(JsonNode a, String name) {
    List<Long> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      JsonNode v = a.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw malformed(name + "[" + i + "]: expected an integer");
      }
      out.add(v.asLong());
    }
    return out;
  }

  private static SalusException malformed(String detail) {
    return new SalusException(MALFORMED, "study message: " + detail);
  }
}

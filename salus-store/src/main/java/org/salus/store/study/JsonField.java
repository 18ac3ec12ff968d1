package org.salus.store.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.salus.core.error.SalusException;
import org.salus.core.study.StudyValidator;

/** A JSON value with its path ({@code analyses[2].family}), so every error names the field. */
record JsonField(String path, JsonNode node) {

  SalusException error(String message) {
    return new SalusException(StudyValidator.INVALID, path + ": " + message);
  }

  private String child(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  JsonField object() {
    if (!node.isObject()) {
      throw error("expected an object");
    }
    return this;
  }

  /** Fails on fields not in {@code allowed}: a typo must not silently change a study. */
  JsonField only(Set<String> allowed) {
    object();
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!allowed.contains(n)) {
        throw new JsonField(child(n), node.get(n))
            .error("unknown field (expected one of " + allowed.stream().sorted().toList() + ")");
      }
    }
    return this;
  }

  JsonField required(String name) {
    object();
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw new JsonField(child(name), v).error("is required");
    }
    return new JsonField(child(name), v);
  }

  Optional<JsonField> optional(String name) {
    object();
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(new JsonField(child(name), v));
  }

  String text() {
    if (!node.isTextual()) {
      throw error("expected a string");
    }
    return node.asText();
  }

  int integer() {
    if (!node.canConvertToInt() || !node.isIntegralNumber()) {
      throw error("expected an integer");
    }
    return node.asInt();
  }

  double number() {
    if (!node.isNumber()) {
      throw error("expected a number");
    }
    return node.asDouble();
  }

  boolean bool() {
    if (!node.isBoolean()) {
      throw error("expected true or false");
    }
    return node.asBoolean();
  }

  LocalDate date() {
    try {
      return LocalDate.parse(text());
    } catch (DateTimeParseException e) {
      throw error("expected a date as YYYY-MM-DD");
    }
  }

  <T> List<T> list(Function<JsonField, T> element) {
    if (!node.isArray()) {
      throw error("expected an array");
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      out.add(element.apply(new JsonField(path + "[" + i + "]", node.get(i))));
    }
    return out;
  }
}

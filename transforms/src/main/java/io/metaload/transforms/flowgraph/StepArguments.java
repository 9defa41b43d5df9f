package io.metaload.transforms.flowgraph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A step's arguments as written in YAML, with typed accessors whose errors name the field. The
 * arguments are a mapping ({@code rename: { a: b }}), a list ({@code drop: [a, b]}) or one value
 * ({@code filter: "amount > 0"}).
 */
public final class StepArguments {
  private final JsonNode node;

  public StepArguments(JsonNode node) {
    this.node = node;
  }

  public JsonNode json() {
    return node;
  }

  public boolean isText() {
    return node.isTextual();
  }

  public boolean isList() {
    return node.isArray();
  }

  public boolean has(String field) {
    return node.isObject() && node.hasNonNull(field);
  }

  /** The arguments as one text value ({@code filter: "amount > 0"}). */
  public String text(String what) {
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new StepConfigException("expected " + what + " as a text value");
    }
    return node.asText();
  }

  public String string(String field) {
    JsonNode v = field(field);
    if (!v.isValueNode() || v.asText().isBlank()) {
      throw new StepConfigException("field '" + field + "' must be a non-empty value");
    }
    return v.asText();
  }

  public String string(String field, String otherwise) {
    return has(field) ? string(field) : otherwise;
  }

  public boolean bool(String field, boolean otherwise) {
    if (!has(field)) {
      return otherwise;
    }
    JsonNode v = node.get(field);
    if (!v.isBoolean()) {
      throw new StepConfigException(
          "field '" + field + "' must be true or false, was '" + v.asText() + "'");
    }
    return v.booleanValue();
  }

  public long integer(String field, long otherwise) {
    if (!has(field)) {
      return otherwise;
    }
    JsonNode v = node.get(field);
    if (!v.isIntegralNumber()) {
      throw new StepConfigException(
          "field '" + field + "' must be a whole number, was '" + v.asText() + "'");
    }
    return v.longValue();
  }

  /**
   * A list of plain values, from field {@code field}, or from the arguments themselves when {@code
   * field} is null.
   */
  public List<String> strings(String field) {
    JsonNode v = field == null ? node : field(field);
    String name = field == null ? "the step's arguments" : "field '" + field + "'";
    if (v.isValueNode() && !v.isNull()) {
      return List.of(v.asText());
    }
    if (!v.isArray() || v.isEmpty()) {
      throw new StepConfigException(name + " must list one or more values");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isValueNode() || e.isNull()) {
        throw new StepConfigException(name + " must list plain values");
      }
      out.add(e.asText());
    }
    return out;
  }

  /**
   * The arguments (or field {@code field}) as a mapping of names to plain values, in the order
   * written.
   */
  public Map<String, String> mapping(String field) {
    JsonNode v = field == null ? node : field(field);
    String name = field == null ? "the step's arguments" : "field '" + field + "'";
    if (!v.isObject() || v.isEmpty()) {
      throw new StepConfigException(name + " must be a mapping such as { column: value }");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isValueNode()) {
        throw new StepConfigException(name + ": '" + e.getKey() + "' must map to a plain value");
      }
      out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
    }
    return out;
  }

  /** Fails on fields other than {@code allowed}. */
  public void allowOnly(String... allowed) {
    if (!node.isObject()) {
      throw new StepConfigException("expected a mapping with " + String.join(", ", allowed));
    }
    Set<String> known = Set.of(allowed);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new StepConfigException(
            "unknown field '" + f + "' (allowed: " + String.join(", ", allowed) + ")");
      }
    }
  }

  private JsonNode field(String field) {
    if (!node.isObject()) {
      throw new StepConfigException("expected a mapping with field '" + field + "'");
    }
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new StepConfigException("field '" + field + "' is missing");
    }
    return v;
  }
}

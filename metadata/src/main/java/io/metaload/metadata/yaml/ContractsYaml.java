package io.metaload.metadata.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.metaload.metadata.contract.ContractColumn;
import io.metaload.metadata.contract.ContractDefinition;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes the {@code contracts:} list of a definitions file (see {@link
 * ContractDefinition}).
 */
public final class ContractsYaml {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ContractsYaml() {}

  /**
   * The file's contracts, version 0; empty when it has none. Each check is parsed, so a malformed
   * one fails here.
   */
  public static List<ContractDefinition> read(Path file) {
    JsonNode list = LoadDefinitionsYaml.readTree(file).get("contracts");
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw MetaloadException.badConfig(file + ": 'contracts:' must be a list");
    }
    List<ContractDefinition> out = new ArrayList<>();
    Set<String> loads = new HashSet<>();
    int index = 0;
    for (JsonNode node : list) {
      String where = file + ": contracts[" + index++ + "]";
      if (!node.isObject() || !node.hasNonNull("load")) {
        throw MetaloadException.badConfig(
            where + ": expected a mapping with 'load', 'quality' and/or 'schema'");
      }
      String at = file + ": contract of load '" + node.get("load").asText() + "'";
      LoadDefinitionsYaml.checkFields(
          at, "", node, "load", "dataset", "owner", "sla", "quality", "schema");
      ContractDefinition c =
          ContractDefinition.of(
              node.get("load").asText(),
              text(node, "dataset"),
              text(node, "owner"),
              0,
              quality(at, node.get("quality")),
              schema(at, node.get("schema")),
              sla(at, text(node, "sla")));
      if (!loads.add(c.load())) {
        throw MetaloadException.badConfig(file + ": load '" + c.load() + "' has two contracts");
      }
      c.checks();
      out.add(c);
    }
    return out;
  }

  private static String sla(String at, String text) {
    if (text == null) {
      return null;
    }
    Duration d;
    try {
      d = Durations.parse(text);
    } catch (RuntimeException e) {
      throw MetaloadException.badConfig(
          at + ": sla '" + text + "' is not a duration such as 4h, 90m or PT30M");
    }
    if (d.isZero() || d.isNegative()) {
      throw MetaloadException.badConfig(at + ": sla '" + text + "' must be longer than zero");
    }
    return text;
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }

  private static List<String> quality(String at, JsonNode list) {
    List<String> out = new ArrayList<>();
    if (list == null || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw MetaloadException.badConfig(at + ": field 'quality' must be a list of '- check: ...'");
    }
    for (JsonNode q : list) {
      if (q.isTextual()) {
        out.add(q.asText());
      } else if (q.isObject() && q.hasNonNull("check") && q.size() == 1) {
        out.add(q.get("check").asText());
      } else {
        throw MetaloadException.badConfig(
            at + ": field 'quality': each entry must be '- check: <check>'");
      }
    }
    return out;
  }

  private static List<ContractColumn> schema(String at, JsonNode list) {
    List<ContractColumn> out = new ArrayList<>();
    if (list == null || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw MetaloadException.badConfig(at + ": field 'schema' must be a list of columns");
    }
    for (JsonNode c : list) {
      if (!c.isObject() || !c.hasNonNull("name") || !c.hasNonNull("type")) {
        throw MetaloadException.badConfig(
            at + ": field 'schema': each column needs 'name' and 'type'");
      }
      LoadDefinitionsYaml.checkFields(
          at + ": column '" + c.get("name").asText() + "'",
          "",
          c,
          "name",
          "type",
          "primary_key",
          "nullable",
          "pii",
          "constraints");
      List<String> constraints = new ArrayList<>();
      if (c.has("constraints")) {
        c.get("constraints").forEach(k -> constraints.add(k.asText()));
      }
      ContractColumn column =
          ContractColumn.of(
              c.get("name").asText(),
              c.get("type").asText(),
              c.path("primary_key").asBoolean(false),
              c.path("nullable").asBoolean(true),
              c.path("pii").asBoolean(false),
              constraints);
      if (column.family() == null) {
        throw MetaloadException.badConfig(
            at
                + ": column '"
                + column.name()
                + "': type '"
                + column.type()
                + "' is not one of string, "
                + "integer, bigint, decimal(p,s), double, date, timestamp, boolean, uuid, time, binary");
      }
      out.add(column);
    }
    return out;
  }

  static ArrayNode toYaml(List<ContractDefinition> contracts) {
    ArrayNode list = JSON.createArrayNode();
    for (ContractDefinition c : contracts) {
      ObjectNode n = list.addObject().put("load", c.load());
      if (c.dataset() != null) {
        n.put("dataset", c.dataset());
      }
      if (c.owner() != null) {
        n.put("owner", c.owner());
      }
      if (c.sla() != null) {
        n.put("sla", c.sla());
      }
      ArrayNode quality = n.putArray("quality");
      c.quality().forEach(q -> quality.addObject().put("check", q));
      ArrayNode schema = n.putArray("schema");
      for (ContractColumn col : c.schema()) {
        ObjectNode o = schema.addObject().put("name", col.name()).put("type", col.type());
        if (col.primaryKey()) {
          o.put("primary_key", true);
        }
        if (!col.nullable()) {
          o.put("nullable", false);
        }
        if (col.pii()) {
          o.put("pii", true);
        }
        if (!col.constraints().isEmpty()) {
          ArrayNode k = o.putArray("constraints");
          col.constraints().forEach(k::add);
        }
      }
    }
    return list;
  }

  /** The contract as JSON text for the store and the plan. */
  public static String toJson(ContractDefinition c) {
    return toYaml(List.of(c)).get(0).toString();
  }

  /** A contract from {@link #toJson}, with its version. */
  public static ContractDefinition fromJson(String json, int version) {
    try {
      JsonNode n = JSON.readTree(json);
      String at = "stored contract of load '" + n.path("load").asText() + "'";
      return ContractDefinition.of(
          n.get("load").asText(),
          text(n, "dataset"),
          text(n, "owner"),
          version,
          quality(at, n.get("quality")),
          schema(at, n.get("schema")),
          text(n, "sla"));
    } catch (IOException e) {
      throw new IllegalStateException("a stored contract is not JSON: " + e.getMessage(), e);
    }
  }
}

package io.metaload.metadata.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.metaload.metadata.contract.ContractDefinition;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.flowgraph.FlowgraphDefinition;
import io.metaload.metadata.model.DeltaMode;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.LoadDefinitionValidator;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.model.WriteMode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads and writes load definitions as YAML ("metadata as code"). Reading checks every definition
 * and refuses the whole file on the first error, naming file, load and field.
 *
 * <pre>
 * loads:
 *   - name: orders
 *     source: { connection: crm, table: public.orders }
 *     splitKey: id
 *     partitioning: { strategy: list, column: region, values: [EU, US] }
 *     batchSize: 50000
 *     target: { connection: dwh, table: orders, writeMode: swap }
 *     flowgraph: identity
 * </pre>
 */
public final class LoadDefinitionsYaml {
  private static final ObjectMapper YAML =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private LoadDefinitionsYaml() {}

  /** The file's {@code loads:}; empty when it holds only {@code flowgraphs:}. */
  public static List<LoadDefinition> read(Path file) {
    JsonNode root = readTree(file);
    if (!root.has("loads")) {
      return List.of();
    }
    if (!root.path("loads").isArray()) {
      throw MetaloadException.badConfig(file + ": 'loads:' must be a list");
    }
    List<LoadDefinition> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int index = 0;
    for (JsonNode node : root.get("loads")) {
      LoadDefinition d = parse(file.toString(), index++, node);
      if (!names.add(d.name())) {
        throw MetaloadException.badConfig(file + ": load '" + d.name() + "' is defined twice");
      }
      out.add(d);
    }
    return out;
  }

  /** The parsed file: a mapping with {@code loads:} and/or {@code flowgraphs:} lists. */
  static JsonNode readTree(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (FileNotFoundException e) {
      throw MetaloadException.badConfig("loads file not found: " + file);
    } catch (IOException e) {
      String msg = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
      throw MetaloadException.badConfig(file + ": not valid YAML: " + msg, e);
    }
    if (root == null
        || !root.isObject()
        || !(root.path("loads").isArray()
            || root.path("flowgraphs").isArray()
            || root.path("contracts").isArray())) {
      throw MetaloadException.badConfig(
          file
              + ": expected a top-level 'loads:' list (and/or 'flowgraphs:' and 'contracts:' lists)");
    }
    checkFields(file.toString(), "", root, "loads", "flowgraphs", "contracts");
    return root;
  }

  private static LoadDefinition parse(String file, int index, JsonNode node) {
    String where = file + ": loads[" + index + "]";
    if (!node.isObject()) {
      throw MetaloadException.badConfig(where + " is not a mapping");
    }
    String name = required(where, node, "name");
    String at = file + ": load '" + name + "'";
    checkFields(
        at,
        "",
        node,
        "name",
        "source",
        "splitKey",
        "partitioning",
        "delta",
        "batchSize",
        "fetchSize",
        "target",
        "flowgraph",
        "sla",
        "slaAction",
        "maxRejects");
    JsonNode source = section(at, node, "source", true);
    checkFields(at, "source.", source, "connection", "table");
    JsonNode target = section(at, node, "target", true);
    checkFields(at, "target.", target, "connection", "table", "writeMode");
    List<String> splitKey = splitKey(at, node);
    LoadDefinition.Builder b =
        LoadDefinition.builder()
            .name(name)
            .sourceConnection(required(at, source, "connection", "source.connection"))
            .sourceTable(required(at, source, "table", "source.table"))
            .splitKey(splitKey.get(0))
            .additionalSplitKeys(splitKey.subList(1, splitKey.size()))
            .targetConnection(required(at, target, "connection", "target.connection"))
            .targetTable(required(at, target, "table", "target.table"));
    if (target.has("writeMode")) {
      b.writeMode(
          enumValue(at, "target.writeMode", target.get("writeMode").asText(), WriteMode.class));
    }
    JsonNode delta = node.get("delta");
    if (delta != null && !delta.isNull()) {
      parseDelta(at, delta, b);
    }
    if (node.has("batchSize")) {
      b.batchSize(intValue(at, "batchSize", node.get("batchSize")));
    }
    if (node.has("fetchSize")) {
      b.fetchSize(intValue(at, "fetchSize", node.get("fetchSize")));
    }
    if (node.has("flowgraph")) {
      b.flowgraph(node.get("flowgraph").asText());
    }
    if (node.hasNonNull("maxRejects")) {
      parseMaxRejects(at, node.get("maxRejects"), b);
    }
    if (node.hasNonNull("slaAction")) {
      b.slaAction(node.get("slaAction").asText());
    }
    if (node.hasNonNull("sla")) {
      b.sla(node.get("sla").asText());
    }
    JsonNode partitioning = section(at, node, "partitioning", false);
    if (partitioning != null) {
      checkFields(
          at,
          "partitioning.",
          partitioning,
          "strategy",
          "column",
          "values",
          "boundaries",
          "from",
          "to");
      PartitionStrategy strategy =
          enumValue(
              at,
              "partitioning.strategy",
              required(at, partitioning, "strategy", "partitioning.strategy"),
              PartitionStrategy.class);
      b.partitionStrategy(strategy);
      if (strategy.isCalendar()) {
        for (String other : new String[] {"column", "values", "boundaries"}) {
          if (partitioning.has(other)) {
            throw MetaloadException.badConfig(
                at
                    + ": field 'partitioning."
                    + other
                    + "' does not apply to strategy '"
                    + strategy.name().toLowerCase(Locale.ROOT)
                    + "' (use 'from' and 'to')");
          }
        }
        if (b.build().deltaMode().windowed()
            && !partitioning.has("from")
            && !partitioning.has("to")) {
          return LoadDefinitionValidator.validate(file, b.build());
        }
        b.partitionValues(
            List.of(
                required(at, partitioning, "from", "partitioning.from"),
                required(at, partitioning, "to", "partitioning.to")));
        return LoadDefinitionValidator.validate(file, b.build());
      }
      if (partitioning.has("from") || partitioning.has("to")) {
        throw MetaloadException.badConfig(
            at
                + ": fields 'partitioning.from' and 'partitioning.to' apply only to strategies 'day' and 'month'");
      }
      if (partitioning.hasNonNull("column")) {
        b.partitionColumn(partitioning.get("column").asText());
      }
      if (strategy == PartitionStrategy.SOURCE) {
        for (String other : new String[] {"values", "boundaries"}) {
          if (partitioning.has(other)) {
            throw MetaloadException.badConfig(
                at
                    + ": field 'partitioning."
                    + other
                    + "' does not apply to strategy 'source' (the "
                    + "source table's own partitions are the partitions)");
          }
        }
        return LoadDefinitionValidator.validate(file, b.build());
      }
      String listField = strategy == PartitionStrategy.RANGE ? "boundaries" : "values";
      String otherField = strategy == PartitionStrategy.RANGE ? "values" : "boundaries";
      if (partitioning.has(otherField)) {
        throw MetaloadException.badConfig(
            at
                + ": field 'partitioning."
                + otherField
                + "' does not apply to strategy '"
                + strategy.name().toLowerCase(Locale.ROOT)
                + "' (use '"
                + listField
                + "')");
      }
      b.partitionValues(stringList(at, "partitioning." + listField, partitioning.get(listField)));
    }
    return LoadDefinitionValidator.validate(file, b.build());
  }

  /** Writes definitions in the same shape {@link #read} accepts. */
  public static void write(List<LoadDefinition> definitions, Writer out) throws IOException {
    write(definitions, List.of(), out);
  }

  /**
   * Writes flowgraphs and loads in the shape {@link #read} and {@link FlowgraphsYaml#read} accept.
   */
  public static void write(
      List<LoadDefinition> definitions, List<FlowgraphDefinition> flowgraphs, Writer out)
      throws IOException {
    write(definitions, flowgraphs, List.of(), out);
  }

  /** Writes flowgraphs, contracts and loads in the shape the readers accept. */
  public static void write(
      List<LoadDefinition> definitions,
      List<FlowgraphDefinition> flowgraphs,
      List<ContractDefinition> contracts,
      Writer out)
      throws IOException {
    ObjectNode root = YAML.createObjectNode();
    if (!flowgraphs.isEmpty()) {
      root.set("flowgraphs", FlowgraphsYaml.toYaml(flowgraphs));
    }
    if (!contracts.isEmpty()) {
      root.set("contracts", ContractsYaml.toYaml(contracts));
    }
    ArrayNode loads = root.putArray("loads");
    for (LoadDefinition d : definitions) {
      ObjectNode n = loads.addObject();
      n.put("name", d.name());
      n.putObject("source").put("connection", d.sourceConnection()).put("table", d.sourceTable());
      if (d.additionalSplitKeys().isEmpty()) {
        n.put("splitKey", d.splitKey());
      } else {
        ArrayNode key = n.putArray("splitKey");
        d.splitKeyColumns().forEach(key::add);
      }
      if (d.partitionStrategy() != PartitionStrategy.NONE) {
        ObjectNode p = n.putObject("partitioning");
        p.put("strategy", lower(d.partitionStrategy()));
        if (d.partitionColumn() != null) {
          p.put("column", d.partitionColumn());
        }
        if (d.partitionStrategy().isCalendar()) {
          if (!d.partitionValues().isEmpty()) {
            p.put("from", d.partitionValues().get(0)).put("to", d.partitionValues().get(1));
          }
        } else if (d.partitionStrategy() != PartitionStrategy.SOURCE) {
          ArrayNode values =
              p.putArray(
                  d.partitionStrategy() == PartitionStrategy.RANGE ? "boundaries" : "values");
          d.partitionValues().forEach(values::add);
        }
      }
      if (d.deltaMode().windowed()) {
        ObjectNode delta =
            n.putObject("delta").put("mode", lower(d.deltaMode())).put("column", d.deltaColumn());
        if (d.lookback() != null) {
          delta.put("lookback", d.lookback());
        }
        delta.put("fenceMargin", d.fenceMargin()).put("fenceWait", d.fenceWait());
        if (d.deltaTimeZone() != null) {
          delta.put("timeZone", d.deltaTimeZone());
        }
      } else {
        n.put("delta", lower(d.deltaMode()));
      }
      n.put("batchSize", d.batchSize());
      n.put("fetchSize", d.fetchSize());
      n.putObject("target")
          .put("connection", d.targetConnection())
          .put("table", d.targetTable())
          .put("writeMode", lower(d.writeMode()));
      n.put("flowgraph", d.flowgraph());
      if (d.maxRejects() != null || d.maxRejectShare() != null) {
        ObjectNode limits = n.putObject("maxRejects");
        if (d.maxRejects() != null) {
          limits.put("rows", d.maxRejects());
        }
        if (d.maxRejectShare() != null) {
          limits.put("share", d.maxRejectShare());
        }
      }
      if (d.sla() != null) {
        n.put("sla", d.sla());
        if (d.slaAction() != null) {
          n.put("slaAction", d.slaAction());
        }
      }
    }
    YAML.writeValue(out, root);
  }

  public static void write(List<LoadDefinition> definitions, Path file) throws IOException {
    write(definitions, List.of(), file);
  }

  public static void write(
      List<LoadDefinition> definitions, List<FlowgraphDefinition> flowgraphs, Path file)
      throws IOException {
    write(definitions, flowgraphs, List.of(), file);
  }

  public static void write(
      List<LoadDefinition> definitions,
      List<FlowgraphDefinition> flowgraphs,
      List<ContractDefinition> contracts,
      Path file)
      throws IOException {
    try (Writer w = Files.newBufferedWriter(file)) {
      write(definitions, flowgraphs, contracts, w);
    }
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * {@code maxRejects: 100}, or a mapping with {@code rows} and/or {@code share} (0.01 or "1%").
   */
  private static void parseMaxRejects(String at, JsonNode v, LoadDefinition.Builder b) {
    if (v.isIntegralNumber()) {
      b.maxRejects(v.longValue());
      return;
    }
    if (!v.isObject()) {
      throw MetaloadException.badConfig(
          at
              + ": field 'maxRejects' must be a whole number or a mapping with 'rows' and/or 'share', was '"
              + v.asText()
              + "'");
    }
    checkFields(at, "maxRejects.", v, "rows", "share");
    if (v.hasNonNull("rows")) {
      if (!v.get("rows").isIntegralNumber()) {
        throw MetaloadException.badConfig(
            at
                + ": field 'maxRejects.rows' must be a whole number, was '"
                + v.get("rows").asText()
                + "'");
      }
      b.maxRejects(v.get("rows").longValue());
    }
    if (v.hasNonNull("share")) {
      String text = v.get("share").asText().trim();
      try {
        b.maxRejectShare(
            text.endsWith("%")
                ? Double.parseDouble(text.substring(0, text.length() - 1).trim()) / 100
                : Double.parseDouble(text));
      } catch (NumberFormatException e) {
        throw MetaloadException.badConfig(
            at
                + ": field 'maxRejects.share' must be a share such as 0.01 or \"1%\", was '"
                + text
                + "'");
      }
    }
  }

  /**
   * {@code delta: full}, or a mapping with {@code mode}, {@code column}, {@code lookback}, {@code
   * fenceMargin}, {@code fenceWait}, {@code timeZone}.
   */
  private static void parseDelta(String at, JsonNode delta, LoadDefinition.Builder b) {
    if (!delta.isObject()) {
      b.deltaMode(enumValue(at, "delta", delta.asText(), DeltaMode.class));
      return;
    }
    checkFields(
        at, "delta.", delta, "mode", "column", "lookback", "fenceMargin", "fenceWait", "timeZone");
    b.deltaMode(
        enumValue(at, "delta.mode", required(at, delta, "mode", "delta.mode"), DeltaMode.class));
    if (delta.hasNonNull("column")) {
      b.deltaColumn(delta.get("column").asText());
    }
    if (delta.hasNonNull("lookback")) {
      b.lookback(delta.get("lookback").asText());
    }
    if (delta.hasNonNull("fenceMargin")) {
      b.fenceMargin(delta.get("fenceMargin").asText());
    }
    if (delta.hasNonNull("fenceWait")) {
      b.fenceWait(delta.get("fenceWait").asText());
    }
    if (delta.hasNonNull("timeZone")) {
      b.deltaTimeZone(delta.get("timeZone").asText());
    }
  }

  private static JsonNode section(String at, JsonNode node, String field, boolean required) {
    JsonNode s = node.get(field);
    if (s == null || s.isNull()) {
      if (required) {
        throw MetaloadException.badConfig(at + ": field '" + field + "' is missing");
      }
      return null;
    }
    if (!s.isObject()) {
      throw MetaloadException.badConfig(at + ": field '" + field + "' must be a mapping");
    }
    return s;
  }

  private static String required(String at, JsonNode node, String field) {
    return required(at, node, field, field);
  }

  private static String required(String at, JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || v.asText().isBlank()) {
      throw MetaloadException.badConfig(at + ": field '" + path + "' is missing");
    }
    if (!v.isValueNode()) {
      throw MetaloadException.badConfig(at + ": field '" + path + "' must be a single value");
    }
    return v.asText();
  }

  private static int intValue(String at, String field, JsonNode v) {
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw MetaloadException.badConfig(
          at + ": field '" + field + "' must be a whole number, was '" + v.asText() + "'");
    }
    return v.intValue();
  }

  /** A column name, or a list of them for a composite key. */
  private static List<String> splitKey(String at, JsonNode node) {
    JsonNode v = node.get("splitKey");
    if (v != null && v.isArray()) {
      List<String> columns = stringList(at, "splitKey", v);
      if (columns.isEmpty() || columns.stream().anyMatch(String::isBlank)) {
        throw MetaloadException.badConfig(
            at + ": field 'splitKey' must list one or more column names");
      }
      return columns;
    }
    return List.of(required(at, node, "splitKey"));
  }

  private static List<String> stringList(String at, String field, JsonNode v) {
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw MetaloadException.badConfig(at + ": field '" + field + "' must be a list");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isValueNode() || e.isNull()) {
        throw MetaloadException.badConfig(at + ": field '" + field + "' must list plain values");
      }
      out.add(e.asText());
    }
    return List.copyOf(out);
  }

  private static <E extends Enum<E>> E enumValue(
      String at, String field, String value, Class<E> type) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value.replace('-', '_'))) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(lower(e));
    }
    throw MetaloadException.badConfig(
        at + ": field '" + field + "' is '" + value + "', expected one of " + allowed);
  }

  static void checkFields(String at, String prefix, JsonNode node, String... known) {
    Set<String> allowed = Set.of(known);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw MetaloadException.badConfig(
            at
                + ": unknown field '"
                + prefix
                + f
                + "' (allowed: "
                + String.join(", ", known)
                + ")");
      }
    }
  }
}

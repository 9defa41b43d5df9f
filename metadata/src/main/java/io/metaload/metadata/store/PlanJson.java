package io.metaload.metadata.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.metaload.metadata.flowgraph.FlowgraphDefinition;
import io.metaload.metadata.flowgraph.StepSpec;
import io.metaload.metadata.flowgraph.TypedFlowgraph;
import io.metaload.metadata.model.DeltaMode;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.model.WriteMode;
import io.metaload.metadata.plan.DeltaWindow;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.PartitionPlan;
import io.metaload.metadata.plan.split.HeapOrder;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import io.metaload.metadata.yaml.ContractsYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's plan as a JSON document with a format version: readable by people, and by later metaload
 * versions, which can add fields without breaking plans stored by earlier ones. Only the fields
 * listed here are read, into metaload's own value types; nothing else is ever instantiated.
 */
final class PlanJson {
  static final int FORMAT = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private PlanJson() {}

  static byte[] write(LoadPlan plan) {
    ObjectNode n = JSON.createObjectNode();
    n.put("format", plan.heapOrder() != null ? FORMAT : plan.orderKey().isEmpty() ? 1 : 2);
    n.set("definition", definition(plan.definition()));
    n.put("source", plan.source().toString());
    n.set("sourceSchema", schema(plan.sourceSchema()));
    n.set("splitKey", column(plan.splitKey()));
    n.put("splitKeyType", plan.splitKeyType().name());
    n.put("uniqueSplitKey", plan.uniqueSplitKey());
    if (!plan.orderKey().isEmpty()) {
      ArrayNode order = n.putArray("orderKey");
      plan.orderKey().forEach(order::add);
    }
    if (plan.heapOrder() != null) {
      ObjectNode heap = n.putObject("heapOrder").put("snapshot", plan.heapOrder().snapshot());
      ObjectNode filenodes = heap.putObject("filenodes");
      plan.heapOrder().filenodes().forEach(filenodes::put);
    }
    if (plan.partitionColumn() != null) {
      n.set("partitionColumn", column(plan.partitionColumn()));
    }
    ArrayNode partitions = n.putArray("partitions");
    for (PartitionPlan p : plan.partitions()) {
      ObjectNode o = partitions.addObject();
      o.put("id", p.partitionId());
      o.put("description", p.description());
      o.put("predicateValue", p.predicateValue());
      o.put("keyFrom", p.keyFrom());
      o.put("keyTo", p.keyTo());
      o.put("sourceRows", p.sourceRows());
      if (p.rowsEstimated()) {
        o.put("rowsEstimated", true);
      }
      if (!p.quantiles().isEmpty()) {
        ArrayNode q = o.putArray("quantiles");
        p.quantiles().forEach(q::add);
      }
      if (!p.boundaries().isEmpty()) {
        ArrayNode b = o.putArray("boundaries");
        for (List<String> tuple : p.boundaries()) {
          ArrayNode t = b.addArray();
          tuple.forEach(t::add);
        }
      }
    }
    n.put("target", plan.target().toString());
    n.set("targetSchema", schema(plan.targetSchema()));
    n.put("targetExists", plan.targetExists());
    if (!plan.flowgraph().definition().isIdentity()) {
      n.set("flowgraph", flowgraph(plan.flowgraph()));
    }
    if (plan.contract() != null) {
      ObjectNode contract = n.putObject("contract");
      contract.put("version", plan.contract().version());
      contract.put("body", ContractsYaml.toJson(plan.contract()));
    }
    if (plan.window() != null) {
      DeltaWindow w = plan.window();
      ObjectNode o = n.putObject("window");
      o.put("kind", w.kind().name())
          .put("column", w.column())
          .put("type", w.type().name())
          .put("fenceBasis", w.fenceBasis());
      o.put("low", w.low());
      o.put("high", w.high());
      o.put("previousWatermark", w.previousWatermark());
      o.put("timeZone", w.timeZone());
    }
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot write the plan of load " + plan.definition().name() + " as JSON", e);
    }
  }

  static LoadPlan read(byte[] bytes) throws IOException {
    JsonNode n = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
    int format = required(n, "format").asInt();
    if (format > FORMAT) {
      throw new IOException(
          "plan format " + format + " is newer than this metaload version reads (" + FORMAT + ")");
    }
    JsonNode partitionColumn = n.get("partitionColumn");
    List<PartitionPlan> partitions = new ArrayList<>();
    for (JsonNode p : required(n, "partitions")) {
      JsonNode value = p.get("predicateValue");
      List<Long> quantiles = new ArrayList<>();
      if (p.hasNonNull("quantiles")) {
        p.get("quantiles").forEach(q -> quantiles.add(q.asLong()));
      }
      if (SplitKeyType.valueOf(required(n, "splitKeyType").asText()) == SplitKeyType.ORDINAL) {
        List<List<String>> boundaries = new ArrayList<>();
        if (p.hasNonNull("boundaries")) {
          for (JsonNode tuple : p.get("boundaries")) {
            List<String> values = new ArrayList<>();
            tuple.forEach(v -> values.add(v.asText()));
            boundaries.add(values);
          }
        }
        partitions.add(
            estimated(
                p,
                PartitionPlan.ordinal(
                    required(p, "id").asInt(),
                    required(p, "description").asText(),
                    value == null || value.isNull() ? null : value.asText(),
                    required(p, "sourceRows").asLong(),
                    boundaries)));
        continue;
      }
      partitions.add(
          estimated(
              p,
              PartitionPlan.of(
                  required(p, "id").asInt(),
                  required(p, "description").asText(),
                  value == null || value.isNull() ? null : value.asText(),
                  required(p, "keyFrom").asLong(),
                  required(p, "keyTo").asLong(),
                  required(p, "sourceRows").asLong(),
                  quantiles)));
    }
    return LoadPlan.builder()
        .definition(definition(required(n, "definition")))
        .source(TableRef.parse(required(n, "source").asText()))
        .sourceSchema(schema(required(n, "sourceSchema")))
        .splitKey(column(required(n, "splitKey")))
        .splitKeyType(SplitKeyType.valueOf(required(n, "splitKeyType").asText()))
        .uniqueSplitKey(required(n, "uniqueSplitKey").asBoolean())
        .orderKey(texts(n.get("orderKey")))
        .heapOrder(heapOrder(n.get("heapOrder")))
        .partitionColumn(
            partitionColumn == null || partitionColumn.isNull() ? null : column(partitionColumn))
        .partitions(partitions)
        .target(TableRef.parse(required(n, "target").asText()))
        .targetSchema(schema(required(n, "targetSchema")))
        .targetExists(required(n, "targetExists").asBoolean())
        .window(window(n.get("window")))
        .flowgraph(
            n.hasNonNull("flowgraph")
                ? flowgraph(n.get("flowgraph"))
                : TypedFlowgraph.identity(schema(required(n, "sourceSchema"))))
        .contract(
            n.hasNonNull("contract")
                ? ContractsYaml.fromJson(
                    required(n.get("contract"), "body").asText(),
                    required(n.get("contract"), "version").asInt())
                : null)
        .build();
  }

  private static ObjectNode flowgraph(TypedFlowgraph typed) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", typed.definition().name()).put("version", typed.definition().version());
    ArrayNode steps = o.putArray("steps");
    for (StepSpec step : typed.definition().steps()) {
      steps
          .addObject()
          .put("type", step.type())
          .put("name", step.name())
          .set("arguments", step.arguments());
    }
    o.set("output", schema(typed.output()));
    ArrayNode origins = o.putArray("origins");
    typed.origins().forEach(origins::add);
    return o;
  }

  private static TypedFlowgraph flowgraph(JsonNode o) throws IOException {
    List<StepSpec> steps = new ArrayList<>();
    for (JsonNode step : required(o, "steps")) {
      steps.add(
          StepSpec.of(
              required(step, "type").asText(),
              required(step, "name").asText(),
              required(step, "arguments")));
    }
    FlowgraphDefinition definition =
        FlowgraphDefinition.of(required(o, "name").asText(), required(o, "version").asInt(), steps);
    return TypedFlowgraph.of(
        definition, schema(required(o, "output")), texts(required(o, "origins")));
  }

  private static PartitionPlan estimated(JsonNode stored, PartitionPlan partition) {
    return stored.path("rowsEstimated").asBoolean(false) ? partition.asEstimate() : partition;
  }

  private static HeapOrder heapOrder(JsonNode heap) throws IOException {
    if (heap == null || heap.isNull()) {
      return null;
    }
    Map<String, Long> filenodes = new TreeMap<>();
    required(heap, "filenodes")
        .fields()
        .forEachRemaining(e -> filenodes.put(e.getKey(), e.getValue().asLong()));
    return HeapOrder.of(required(heap, "snapshot").asText(), filenodes);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && !array.isNull()) {
      array.forEach(v -> out.add(v.asText()));
    }
    return out;
  }

  private static DeltaWindow window(JsonNode w) throws IOException {
    if (w == null || w.isNull()) {
      return null;
    }
    return DeltaWindow.of(
        DeltaWindow.Kind.valueOf(required(w, "kind").asText()),
        required(w, "column").asText(),
        SplitKeyType.valueOf(required(w, "type").asText()),
        w.hasNonNull("low") ? w.get("low").asLong() : null,
        w.hasNonNull("high") ? w.get("high").asLong() : null,
        optionalText(w, "previousWatermark"),
        required(w, "fenceBasis").asText(),
        optionalText(w, "timeZone"));
  }

  private static ObjectNode definition(LoadDefinition d) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", d.name());
    o.put("sourceConnection", d.sourceConnection());
    o.put("sourceTable", d.sourceTable());
    o.put("splitKey", d.splitKey());
    if (!d.additionalSplitKeys().isEmpty()) {
      ArrayNode more = o.putArray("additionalSplitKeys");
      d.additionalSplitKeys().forEach(more::add);
    }
    o.put("partitionStrategy", d.partitionStrategy().name());
    o.put("partitionColumn", d.partitionColumn());
    ArrayNode values = o.putArray("partitionValues");
    d.partitionValues().forEach(values::add);
    o.put("deltaMode", d.deltaMode().name());
    o.put("deltaColumn", d.deltaColumn());
    o.put("lookback", d.lookback());
    o.put("fenceMargin", d.fenceMargin());
    o.put("fenceWait", d.fenceWait());
    o.put("deltaTimeZone", d.deltaTimeZone());
    o.put("sla", d.sla());
    o.put("slaAction", d.slaAction());
    o.put("batchSize", d.batchSize());
    o.put("fetchSize", d.fetchSize());
    o.put("targetConnection", d.targetConnection());
    o.put("targetTable", d.targetTable());
    o.put("writeMode", d.writeMode().name());
    o.put("flowgraph", d.flowgraph());
    o.put("maxRejects", d.maxRejects());
    o.put("maxRejectShare", d.maxRejectShare());
    return o;
  }

  private static LoadDefinition definition(JsonNode o) throws IOException {
    List<String> values = new ArrayList<>();
    for (JsonNode v : required(o, "partitionValues")) {
      values.add(v.asText());
    }
    JsonNode partitionColumn = o.get("partitionColumn");
    return LoadDefinition.builder()
        .name(required(o, "name").asText())
        .sourceConnection(required(o, "sourceConnection").asText())
        .sourceTable(required(o, "sourceTable").asText())
        .splitKey(required(o, "splitKey").asText())
        .additionalSplitKeys(texts(o.get("additionalSplitKeys")))
        .partitionStrategy(PartitionStrategy.valueOf(required(o, "partitionStrategy").asText()))
        .partitionColumn(
            partitionColumn == null || partitionColumn.isNull() ? null : partitionColumn.asText())
        .partitionValues(values)
        .deltaMode(DeltaMode.valueOf(required(o, "deltaMode").asText()))
        .deltaColumn(optionalText(o, "deltaColumn"))
        .lookback(optionalText(o, "lookback"))
        .fenceMargin(
            o.hasNonNull("fenceMargin")
                ? o.get("fenceMargin").asText()
                : LoadDefinition.DEFAULT_FENCE_MARGIN)
        .fenceWait(
            o.hasNonNull("fenceWait")
                ? o.get("fenceWait").asText()
                : LoadDefinition.DEFAULT_FENCE_WAIT)
        .deltaTimeZone(optionalText(o, "deltaTimeZone"))
        .sla(optionalText(o, "sla"))
        .slaAction(optionalText(o, "slaAction"))
        .batchSize(required(o, "batchSize").asInt())
        .fetchSize(required(o, "fetchSize").asInt())
        .targetConnection(required(o, "targetConnection").asText())
        .targetTable(required(o, "targetTable").asText())
        .writeMode(WriteMode.valueOf(required(o, "writeMode").asText()))
        .flowgraph(required(o, "flowgraph").asText())
        .maxRejects(o.hasNonNull("maxRejects") ? o.get("maxRejects").asLong() : null)
        .maxRejectShare(o.hasNonNull("maxRejectShare") ? o.get("maxRejectShare").asDouble() : null)
        .build();
  }

  private static ObjectNode schema(TableSchema s) {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode columns = o.putArray("columns");
    s.columns().forEach(c -> columns.add(column(c)));
    ArrayNode key = o.putArray("primaryKey");
    s.primaryKey().forEach(key::add);
    return o;
  }

  private static TableSchema schema(JsonNode o) throws IOException {
    List<Column> columns = new ArrayList<>();
    for (JsonNode c : required(o, "columns")) {
      columns.add(column(c));
    }
    List<String> key = new ArrayList<>();
    for (JsonNode k : required(o, "primaryKey")) {
      key.add(k.asText());
    }
    return TableSchema.of(columns, key);
  }

  private static ObjectNode column(Column c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", c.name());
    o.put("type", c.type().name());
    o.put("size", c.size());
    o.put("scale", c.scale());
    o.put("nullable", c.nullable());
    o.put("fixedLength", c.fixedLength());
    o.put("typeName", c.typeName());
    if (c.pgEnum()) {
      o.put("pgEnum", true);
    }
    return o;
  }

  private static Column column(JsonNode o) throws IOException {
    Column c =
        Column.of(
            required(o, "name").asText(),
            ColumnType.valueOf(required(o, "type").asText()),
            required(o, "size").asInt(),
            required(o, "scale").asInt(),
            required(o, "nullable").asBoolean(),
            required(o, "fixedLength").asBoolean(),
            required(o, "typeName").asText());
    return o.path("pgEnum").asBoolean(false) ? c.asPgEnum() : c;
  }

  private static String optionalText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static JsonNode required(JsonNode n, String field) throws IOException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IOException("the stored plan lacks field '" + field + "'");
    }
    return v;
  }
}

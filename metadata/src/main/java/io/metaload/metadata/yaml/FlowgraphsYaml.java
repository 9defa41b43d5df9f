package io.metaload.metadata.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.flowgraph.FlowgraphDefinition;
import io.metaload.metadata.flowgraph.StepSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code flowgraphs:} list of a definitions file. Each step is a mapping with one key,
 * the step's type, whose value holds its arguments, and an optional {@code name}:
 *
 * <pre>
 * flowgraphs:
 *   - name: orders_clean
 *     steps:
 *       - rename: { cust: customer_id }
 *       - filter: "amount &gt; 0"
 *       - name: customer-known
 *         require: { column: customer_id, notNull: true }
 * </pre>
 *
 * Only the shape is checked here; what a step's arguments mean is checked when the flowgraph is
 * compiled (at import, and again against the source schema at plan time).
 */
public final class FlowgraphsYaml {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private FlowgraphsYaml() {}

  /** The file's flowgraphs, version 0 (the store numbers versions); empty when it has none. */
  public static List<FlowgraphDefinition> read(Path file) {
    JsonNode root = LoadDefinitionsYaml.readTree(file);
    JsonNode list = root.get("flowgraphs");
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw MetaloadException.badConfig(file + ": 'flowgraphs:' must be a list");
    }
    List<FlowgraphDefinition> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int index = 0;
    for (JsonNode node : list) {
      FlowgraphDefinition f = parse(file + ": flowgraphs[" + index++ + "]", file.toString(), node);
      if (!names.add(f.name())) {
        throw MetaloadException.badConfig(file + ": flowgraph '" + f.name() + "' is defined twice");
      }
      out.add(f);
    }
    return out;
  }

  private static FlowgraphDefinition parse(String where, String file, JsonNode node) {
    if (!node.isObject() || !node.hasNonNull("name")) {
      throw MetaloadException.badConfig(where + ": expected a mapping with 'name' and 'steps'");
    }
    String name = node.get("name").asText();
    String at = file + ": flowgraph '" + name + "'";
    if (!NAME.matcher(name).matches()) {
      throw MetaloadException.badConfig(
          at + ": field 'name' must be 1-128 letters, digits, '_', '.' or '-'");
    }
    if (name.equals(FlowgraphDefinition.IDENTITY_NAME)) {
      throw MetaloadException.badConfig(
          at + ": 'identity' is built in (no steps) and cannot be redefined");
    }
    LoadDefinitionsYaml.checkFields(at, "", node, "name", "steps");
    JsonNode steps = node.get("steps");
    if (steps == null || !steps.isArray()) {
      throw MetaloadException.badConfig(at + ": field 'steps' must be a list of steps");
    }
    List<StepSpec> out = new ArrayList<>();
    Set<String> stepNames = new HashSet<>();
    int position = 1;
    for (JsonNode step : steps) {
      StepSpec spec = step(at + ": steps[" + (position - 1) + "]", position++, step);
      if (!stepNames.add(spec.name())) {
        throw MetaloadException.badConfig(at + ": step name '" + spec.name() + "' is used twice");
      }
      out.add(spec);
    }
    return FlowgraphDefinition.of(name, 0, out);
  }

  private static StepSpec step(String at, int position, JsonNode step) {
    if (!step.isObject()) {
      throw MetaloadException.badConfig(
          at + ": expected a mapping such as '- rename: { old: new }'");
    }
    String type = null;
    String name = null;
    for (Iterator<String> it = step.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (field.equals("name")) {
        name = step.get(field).asText();
      } else if (type != null) {
        throw MetaloadException.badConfig(
            at
                + ": names two step types, '"
                + type
                + "' and '"
                + field
                + "' (one step per list entry)");
      } else {
        type = field;
      }
    }
    if (type == null) {
      throw MetaloadException.badConfig(at + ": names no step type");
    }
    if (name != null && !NAME.matcher(name).matches()) {
      throw MetaloadException.badConfig(
          at + ": field 'name' must be 1-128 letters, digits, '_', '.' or '-', was '" + name + "'");
    }
    return StepSpec.of(type, name != null ? name : position + "-" + type, step.get(type));
  }

  static ArrayNode toYaml(List<FlowgraphDefinition> flowgraphs) {
    ArrayNode list = JSON.createArrayNode();
    for (FlowgraphDefinition f : flowgraphs) {
      ObjectNode n = list.addObject();
      n.put("name", f.name());
      ArrayNode steps = n.putArray("steps");
      int position = 1;
      for (StepSpec s : f.steps()) {
        ObjectNode o = steps.addObject();
        if (!s.name().equals(position + "-" + s.type())) {
          o.put("name", s.name());
        }
        o.set(s.type(), s.arguments());
        position++;
      }
    }
    return list;
  }
}

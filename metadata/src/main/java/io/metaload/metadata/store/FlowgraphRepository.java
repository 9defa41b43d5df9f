package io.metaload.metadata.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.flowgraph.FlowgraphDefinition;
import io.metaload.metadata.flowgraph.StepSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Versions of {@code flowgraph_definition}. Importing a flowgraph whose steps differ from its
 * latest version adds a version; importing the same steps again changes nothing. Versions are never
 * updated or deleted, so a run's plan can always name the steps it used.
 */
public final class FlowgraphRepository {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final VersionedBodies table;

  FlowgraphRepository(MetadataStore store) {
    this.table = new VersionedBodies(store, "flowgraph_definition", "name", "steps");
  }

  /**
   * Adds a version for each flowgraph whose steps changed, in one transaction; returns how many
   * were added.
   */
  public int upsertAll(List<FlowgraphDefinition> flowgraphs) {
    return table.addChanged(
        flowgraphs, FlowgraphDefinition::name, FlowgraphRepository::steps, "flowgraph definitions");
  }

  /** The latest version of the named flowgraph; identity needs no row. */
  public Optional<FlowgraphDefinition> latest(String name) {
    if (name.equals(FlowgraphDefinition.IDENTITY_NAME)) {
      return Optional.of(FlowgraphDefinition.IDENTITY);
    }
    return table.latest(name, "flowgraph '" + name + "'").map(FlowgraphRepository::map);
  }

  /** The latest version of every stored flowgraph, by name. */
  public List<FlowgraphDefinition> findAllLatest() {
    List<FlowgraphDefinition> out = new ArrayList<>();
    table.latestOfEach("flowgraph definitions").forEach(v -> out.add(map(v)));
    return out;
  }

  /** The named flowgraph's latest version, or a bad-config error listing the known names. */
  public FlowgraphDefinition get(String name) {
    return latest(name)
        .orElseThrow(
            () -> {
              List<String> known = new ArrayList<>(List.of(FlowgraphDefinition.IDENTITY_NAME));
              findAllLatest().forEach(f -> known.add(f.name()));
              return MetaloadException.badConfig(
                  "unknown flowgraph '"
                      + name
                      + "' (known: "
                      + known
                      + "; define it under 'flowgraphs:' and run 'metaload metadata import')");
            });
  }

  private static String steps(FlowgraphDefinition f) {
    ArrayNode steps = JSON.createArrayNode();
    for (StepSpec s : f.steps()) {
      steps.addObject().put("type", s.type()).put("name", s.name()).set("arguments", s.arguments());
    }
    return steps.toString();
  }

  private static FlowgraphDefinition map(VersionedBodies.Version v) {
    try {
      List<StepSpec> steps = new ArrayList<>();
      for (JsonNode s : JSON.readTree(v.body)) {
        steps.add(StepSpec.of(s.get("type").asText(), s.get("name").asText(), s.get("arguments")));
      }
      return FlowgraphDefinition.of(v.key, v.number, steps);
    } catch (IOException | RuntimeException e) {
      throw MetaloadException.badConfig(
          "metadata table flowgraph_definition: flowgraph '"
              + v.key
              + "' version "
              + v.number
              + " is corrupt: "
              + e.getMessage(),
          e);
    }
  }
}

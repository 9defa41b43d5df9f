package io.metaload.metadata.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.flowgraph.FlowgraphDefinition;
import io.metaload.metadata.flowgraph.StepSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Versions of {@code flowgraph_definition}. Importing a flowgraph whose steps differ from its
 * latest version adds a version; importing the same steps again changes nothing. Versions are
 * never updated or deleted, so a run's plan can always name the steps it used.
 */
public final class FlowgraphRepository {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MetadataStore store;

  FlowgraphRepository(MetadataStore store) {
    this.store = store;
  }

  /** Adds a version for each flowgraph whose steps changed, in one transaction; returns how many were added. */
  public int upsertAll(List<FlowgraphDefinition> flowgraphs) {
    int added = 0;
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try {
        for (FlowgraphDefinition f : flowgraphs) {
          Optional<FlowgraphDefinition> latest = latest(c, f.name());
          if (latest.isPresent() && latest.get().sameSteps(f)) {
            continue;
          }
          insert(c, f.withVersion(latest.map(l -> l.version() + 1).orElse(1)));
          added++;
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("writing flowgraph definitions to the metadata store", e, ExitCode.LOAD_FAILED);
    }
    return added;
  }

  /** The latest version of the named flowgraph; identity needs no row. */
  public Optional<FlowgraphDefinition> latest(String name) {
    if (name.equals(FlowgraphDefinition.IDENTITY_NAME)) {
      return Optional.of(FlowgraphDefinition.IDENTITY);
    }
    try (Connection c = store.connection()) {
      return latest(c, name);
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading flowgraph '" + name + "'", e, ExitCode.LOAD_FAILED);
    }
  }

  /** The latest version of every stored flowgraph, by name. */
  public List<FlowgraphDefinition> findAllLatest() {
    Map<String, FlowgraphDefinition> out = new LinkedHashMap<>();
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement("SELECT name, version, steps FROM flowgraph_definition ORDER BY name, version");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        FlowgraphDefinition f = map(rs);
        out.put(f.name(), f);
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading flowgraph definitions", e, ExitCode.LOAD_FAILED);
    }
    return new ArrayList<>(out.values());
  }

  /** The named flowgraph's latest version, or a bad-config error listing the known names. */
  public FlowgraphDefinition get(String name) {
    return latest(name).orElseThrow(() -> {
      List<String> known = new ArrayList<>(List.of(FlowgraphDefinition.IDENTITY_NAME));
      findAllLatest().forEach(f -> known.add(f.name()));
      return MetaloadException.badConfig("unknown flowgraph '" + name + "' (known: " + known
          + "; define it under 'flowgraphs:' and run 'metaload metadata import')");
    });
  }

  private static Optional<FlowgraphDefinition> latest(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT name, version, steps FROM flowgraph_definition WHERE name = ? ORDER BY version DESC")) {
      ps.setMaxRows(1);
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    }
  }

  private static void insert(Connection c, FlowgraphDefinition f) throws SQLException {
    ArrayNode steps = JSON.createArrayNode();
    for (StepSpec s : f.steps()) {
      steps.addObject().put("type", s.type()).put("name", s.name()).set("arguments", s.arguments());
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO flowgraph_definition (name, version, steps, created_at) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, f.name());
      ps.setInt(2, f.version());
      ps.setBytes(3, steps.toString().getBytes(StandardCharsets.UTF_8));
      ps.setTimestamp(4, Timestamp.from(Instant.now()));
      ps.executeUpdate();
    }
  }

  private static FlowgraphDefinition map(ResultSet rs) throws SQLException {
    String name = rs.getString("name");
    try {
      List<StepSpec> steps = new ArrayList<>();
      for (JsonNode s : JSON.readTree(new String(rs.getBytes("steps"), StandardCharsets.UTF_8))) {
        steps.add(StepSpec.of(s.get("type").asText(), s.get("name").asText(), s.get("arguments")));
      }
      return FlowgraphDefinition.of(name, rs.getInt("version"), steps);
    } catch (IOException | RuntimeException e) {
      throw MetaloadException.badConfig("metadata table flowgraph_definition: flowgraph '" + name + "' version " + rs.getInt("version")
          + " is corrupt: " + e.getMessage(), e);
    }
  }
}

package io.metaload.metadata.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.model.DeltaMode;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.LoadDefinitionValidator;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.model.WriteMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and upserts rows of {@code load_definition}. */
public final class DefinitionRepository {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "name, source_connection, source_table, split_key, partition_strategy, partition_column, partition_values, "
          + "delta_mode, batch_size, fetch_size, target_connection, target_table, write_mode, flowgraph, updated_at, "
          + "delta_column, delta_lookback, fence_margin, fence_wait, sla, split_key_more, sla_action, max_rejects, max_reject_share, delta_time_zone";

  private final MetadataStore store;

  DefinitionRepository(MetadataStore store) {
    this.store = store;
  }

  /** How an import changed the table. */
  public static final class UpsertResult {
    public final int inserted;
    public final int updated;
    public final int unchanged;

    UpsertResult(int inserted, int updated, int unchanged) {
      this.inserted = inserted;
      this.updated = updated;
      this.unchanged = unchanged;
    }
  }

  /**
   * Inserts new definitions and updates changed ones in one transaction; equal ones are untouched.
   */
  public UpsertResult upsertAll(List<LoadDefinition> definitions) {
    int inserted = 0;
    int updated = 0;
    int unchanged = 0;
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try {
        for (LoadDefinition d : definitions) {
          Optional<LoadDefinition> existing = find(c, d.name());
          if (existing.isPresent() && existing.get().equals(d)) {
            unchanged++;
            continue;
          }
          if (existing.isPresent()) {
            try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM load_definition WHERE name = ?")) {
              ps.setString(1, d.name());
              ps.executeUpdate();
            }
            updated++;
          } else {
            inserted++;
          }
          insert(c, d);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap(
          "writing load definitions to the metadata store", e, ExitCode.LOAD_FAILED);
    }
    return new UpsertResult(inserted, updated, unchanged);
  }

  public List<LoadDefinition> findAll() {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT " + COLUMNS + " FROM load_definition ORDER BY name");
        ResultSet rs = ps.executeQuery()) {
      List<LoadDefinition> out = new ArrayList<>();
      while (rs.next()) {
        out.add(map(rs));
      }
      return out;
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading load definitions", e, ExitCode.LOAD_FAILED);
    }
  }

  /** The named definition, or a bad-usage error listing the known names. */
  public LoadDefinition get(String name) {
    try (Connection c = store.connection()) {
      Optional<LoadDefinition> d = find(c, name);
      if (d.isEmpty()) {
        List<String> known = new ArrayList<>();
        findAll().forEach(x -> known.add(x.name()));
        throw MetaloadException.badConfig(
                "unknown load '"
                    + name
                    + "' (defined loads: "
                    + known
                    + "; import definitions with 'metaload metadata import')")
            .withLoad(name);
      }
      return d.get();
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading load definition '" + name + "'", e, ExitCode.LOAD_FAILED);
    }
  }

  private static Optional<LoadDefinition> find(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM load_definition WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    }
  }

  private static void insert(Connection c, LoadDefinition d) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO load_definition ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int i = 1;
      ps.setString(i++, d.name());
      ps.setString(i++, d.sourceConnection());
      ps.setString(i++, d.sourceTable());
      ps.setString(i++, d.splitKey());
      ps.setString(i++, d.partitionStrategy().name());
      ps.setString(i++, d.partitionColumn());
      ps.setString(i++, toJson(d.partitionValues()));
      ps.setString(i++, d.deltaMode().name());
      ps.setInt(i++, d.batchSize());
      ps.setInt(i++, d.fetchSize());
      ps.setString(i++, d.targetConnection());
      ps.setString(i++, d.targetTable());
      ps.setString(i++, d.writeMode().name());
      ps.setString(i++, d.flowgraph());
      ps.setTimestamp(i++, Timestamp.from(Instant.now()));
      ps.setString(i++, d.deltaColumn());
      ps.setString(i++, d.lookback());
      ps.setString(i++, d.fenceMargin());
      ps.setString(i++, d.fenceWait());
      ps.setString(i++, d.sla());
      ps.setString(i++, d.additionalSplitKeys().isEmpty() ? null : toJson(d.additionalSplitKeys()));
      ps.setString(i++, d.slaAction());
      if (d.maxRejects() == null) {
        ps.setNull(i++, Types.BIGINT);
      } else {
        ps.setLong(i++, d.maxRejects());
      }
      ps.setString(i++, d.maxRejectShare() == null ? null : d.maxRejectShare().toString());
      ps.setString(i, d.deltaTimeZone());
      ps.executeUpdate();
    }
  }

  private static LoadDefinition map(ResultSet rs) throws SQLException {
    String name = rs.getString("name");
    try {
      LoadDefinition d =
          LoadDefinition.builder()
              .name(name)
              .sourceConnection(rs.getString("source_connection"))
              .sourceTable(rs.getString("source_table"))
              .splitKey(rs.getString("split_key"))
              .partitionStrategy(PartitionStrategy.valueOf(rs.getString("partition_strategy")))
              .partitionColumn(rs.getString("partition_column"))
              .partitionValues(fromJson(rs.getString("partition_values")))
              .deltaMode(DeltaMode.valueOf(rs.getString("delta_mode")))
              .deltaColumn(rs.getString("delta_column"))
              .lookback(rs.getString("delta_lookback"))
              .fenceMargin(rs.getString("fence_margin"))
              .fenceWait(rs.getString("fence_wait"))
              .deltaTimeZone(rs.getString("delta_time_zone"))
              .sla(rs.getString("sla"))
              .slaAction(rs.getString("sla_action"))
              .additionalSplitKeys(
                  rs.getString("split_key_more") == null
                      ? List.of()
                      : fromJson(rs.getString("split_key_more")))
              .batchSize(rs.getInt("batch_size"))
              .fetchSize(rs.getInt("fetch_size"))
              .targetConnection(rs.getString("target_connection"))
              .targetTable(rs.getString("target_table"))
              .writeMode(WriteMode.valueOf(rs.getString("write_mode")))
              .flowgraph(rs.getString("flowgraph"))
              .maxRejects(rs.getObject("max_rejects") == null ? null : rs.getLong("max_rejects"))
              .maxRejectShare(
                  rs.getString("max_reject_share") == null
                      ? null
                      : Double.valueOf(rs.getString("max_reject_share")))
              .build();
      return LoadDefinitionValidator.validate("metadata table load_definition", d);
    } catch (IllegalArgumentException e) {
      throw MetaloadException.badConfig(
              "metadata table load_definition: load '" + name + "' is corrupt: " + e.getMessage(),
              e)
          .withLoad(name);
    }
  }

  private static String toJson(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> fromJson(String json) {
    try {
      return List.copyOf(JSON.readValue(json, new TypeReference<List<String>>() {}));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "partition_values is not a JSON list of strings: " + e.getOriginalMessage(), e);
    }
  }
}

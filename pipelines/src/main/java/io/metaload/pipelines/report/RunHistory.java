package io.metaload.pipelines.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunQueries;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * Everything the metadata store holds about one run, as one JSON document for the report: the run,
 * its partitions, every batch (when, how many rows, which process, retries, attempt), the read
 * units of each attempt, validations and rejected rows by step and reason. Times are epoch
 * milliseconds.
 */
public final class RunHistory {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunHistory() {}

  /** The run's history; an unknown run is a usage error. */
  public static ObjectNode load(MetadataStore store, long runId) {
    List<RunQueries.RunSummary> runs = store.status().runs(runId, 1);
    if (runs.isEmpty()) {
      throw MetaloadException.badConfig("no run with id " + runId).withRun(runId);
    }
    RunQueries.RunSummary r = runs.get(0);
    ObjectNode out = JSON.createObjectNode();
    ObjectNode run = out.putObject("run");
    run.put("id", r.runId);
    run.put("load", r.loadName);
    run.put("status", r.status.name());
    run.put("runner", r.runner);
    run.put("sourceRows", r.sourceRows);
    run.put("rowsWritten", r.batchRows);
    run.put("batches", r.batches);
    run.put("attempt", r.attempt);
    run.put("retries", r.retries);
    if (r.bytes != null) {
      run.put("bytes", r.bytes);
    }
    run.put("startedAt", r.startedAt.toEpochMilli());
    if (r.endedAt != null) {
      run.put("endedAt", r.endedAt.toEpochMilli());
    }
    run.put("message", r.message);
    run.put("params", r.params);
    try (Connection c = store.connection()) {
      query(
          c,
          out.putArray("partitions"),
          "SELECT partition_id, description, source_rows, rows_written, read_units, status "
              + "FROM load_partition WHERE run_id = ? ORDER BY partition_id",
          runId,
          "id",
          "description",
          "sourceRows",
          "rowsWritten",
          "readUnits",
          "status");
      query(
          c,
          out.putArray("batches"),
          "SELECT partition_id, key_first, key_last, rows_read, rows_written, rows_rejected, started_at, "
              + "ended_at, attempt, retries, worker FROM load_batch WHERE run_id = ? ORDER BY started_at, batch_id",
          runId,
          "partition",
          "keyFirst",
          "keyLast",
          "rowsRead",
          "rowsWritten",
          "rowsRejected",
          "startedAt",
          "endedAt",
          "attempt",
          "retries",
          "worker");
      query(
          c,
          out.putArray("units"),
          "SELECT attempt, partition_id, unit_index, key_from, key_to, estimated_rows FROM load_read_unit "
              + "WHERE run_id = ? ORDER BY attempt, partition_id, unit_index",
          runId,
          "attempt",
          "partition",
          "index",
          "keyFrom",
          "keyTo",
          "estimatedRows");
      query(
          c,
          out.putArray("validations"),
          "SELECT partition_id, check_name, expected, actual, passed, checked_at FROM load_validation "
              + "WHERE run_id = ? ORDER BY checked_at, partition_id, check_name",
          runId,
          "partition",
          "check",
          "expected",
          "actual",
          "passed",
          "checkedAt");
      query(
          c,
          out.putArray("rejects"),
          "SELECT step, reason, COUNT(*) FROM load_reject WHERE run_id = ? GROUP BY step, reason "
              + "ORDER BY COUNT(*) DESC, step, reason",
          runId,
          "step",
          "reason",
          "rows");
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading the history of run " + runId, e, ExitCode.LOAD_FAILED)
          .withRun(runId);
    }
    return out;
  }

  private static void query(Connection c, ArrayNode into, String sql, long runId, String... names)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ObjectNode row = into.addObject();
          for (int i = 0; i < names.length; i++) {
            Object v = rs.getObject(i + 1);
            if (v == null) {
              row.putNull(names[i]);
            } else if (v instanceof Timestamp) {
              row.put(names[i], ((Timestamp) v).getTime());
            } else if (v instanceof Boolean) {
              row.put(names[i], (Boolean) v);
            } else if (v instanceof Number) {
              row.put(names[i], ((Number) v).longValue());
            } else {
              row.put(names[i], v.toString());
            }
          }
        }
      }
    }
  }
}

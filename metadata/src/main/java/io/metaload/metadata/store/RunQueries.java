package io.metaload.metadata.store;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code status}, reports and resumes read of runs and their partitions: summaries, newest
 * first.
 */
public final class RunQueries {
  private final MetadataStore store;

  RunQueries(MetadataStore store) {
    this.store = store;
  }

  /** The newest run of a load, if it has any. */
  public Optional<RunSummary> latestRun(String loadName) {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT MAX(run_id) FROM load_run WHERE load_name = ?")) {
      ps.setString(1, loadName);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long id = rs.getLong(1);
        return rs.wasNull() ? Optional.empty() : Optional.of(runs(id, 1).get(0));
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap(
          "finding the latest run of load '" + loadName + "'", e, ExitCode.LOAD_FAILED);
    }
  }

  /** Recent runs, newest first, or the one run asked for. */
  public List<RunSummary> runs(Long runId, int limit) {
    String sql =
        "SELECT r.run_id, r.load_name, r.status, r.runner, r.source_rows, r.rows_written, r.started_at, r.ended_at, r.message, "
            + "(SELECT COUNT(*) FROM load_batch b WHERE b.run_id = r.run_id), "
            + "(SELECT COALESCE(SUM(b.rows_written), 0) FROM load_batch b WHERE b.run_id = r.run_id), "
            + "r.attempt, r.carried_batches, r.carried_rows, r.heartbeat_at, "
            + "(SELECT COALESCE(SUM(b.rows_read), 0) FROM load_batch b WHERE b.run_id = r.run_id AND b.attempt = r.attempt), "
            + "(SELECT COALESCE(SUM(b.retries), 0) FROM load_batch b WHERE b.run_id = r.run_id), r.params, "
            + "(SELECT SUM(b.bytes) FROM load_batch b WHERE b.run_id = r.run_id) "
            + "FROM load_run r"
            + (runId == null ? "" : " WHERE r.run_id = ?")
            + " ORDER BY r.run_id DESC";
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      if (runId != null) {
        ps.setLong(1, runId);
      }
      ps.setMaxRows(limit);
      List<RunSummary> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long written = rs.getLong(6);
          Long writtenOrNull = rs.wasNull() ? null : written;
          out.add(
              new RunSummary(
                  rs.getLong(1),
                  rs.getString(2),
                  RunStatus.valueOf(rs.getString(3)),
                  rs.getString(4),
                  rs.getLong(5),
                  writtenOrNull,
                  toInstant(rs.getTimestamp(7)),
                  toInstant(rs.getTimestamp(8)),
                  rs.getString(9),
                  rs.getLong(10),
                  rs.getLong(11),
                  rs.getInt(12),
                  rs.getLong(13),
                  rs.getLong(14),
                  toInstant(rs.getTimestamp(15)),
                  rs.getLong(16),
                  rs.getLong(17),
                  rs.getString(18),
                  nullableLong(rs, 19)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading runs from the metadata store", e, ExitCode.LOAD_FAILED);
    }
  }

  /** Partitions of a run with their batch progress from the protocol. */
  public List<PartitionSummary> partitions(long runId) {
    String sql =
        "SELECT p.partition_id, p.description, p.status, p.source_rows, p.read_units, "
            + "(SELECT COUNT(*) FROM load_batch b WHERE b.run_id = p.run_id AND b.partition_id = p.partition_id), "
            + "(SELECT COALESCE(SUM(b.rows_written), 0) FROM load_batch b WHERE b.run_id = p.run_id AND b.partition_id = p.partition_id) "
            + "FROM load_partition p WHERE p.run_id = ? ORDER BY p.partition_id";
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, runId);
      List<PartitionSummary> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new PartitionSummary(
                  rs.getInt(1),
                  rs.getString(2),
                  RunStatus.valueOf(rs.getString(3)),
                  rs.getLong(4),
                  rs.getInt(5),
                  rs.getLong(6),
                  rs.getLong(7)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading partitions of run " + runId, e, ExitCode.LOAD_FAILED);
    }
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static Instant toInstant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  /** One row of {@code metaload status}. */
  public static final class RunSummary {
    public final long runId;
    public final String loadName;
    public final RunStatus status;
    public final String runner;
    public final long sourceRows;
    public final Long rowsWritten;
    public final Instant startedAt;
    public final Instant endedAt;
    public final String message;
    public final long batches;
    public final long batchRows;
    public final int attempt;
    public final long carriedBatches;
    public final long carriedRows;
    public final Instant heartbeatAt;

    /** Rows read from the source by the current attempt (all of them on a first attempt). */
    public final long rowsReadThisAttempt;

    public final long retries;

    /** The run's {@code --param} values as stored ({@code RunParameters#toJson}), or null. */
    public final String params;

    /**
     * Bytes of row data the recorded batches sent to the target; null when none was measured
     * (INSERT targets).
     */
    public final Long bytes;

    RunSummary(
        long runId,
        String loadName,
        RunStatus status,
        String runner,
        long sourceRows,
        Long rowsWritten,
        Instant startedAt,
        Instant endedAt,
        String message,
        long batches,
        long batchRows,
        int attempt,
        long carriedBatches,
        long carriedRows,
        Instant heartbeatAt,
        long rowsReadThisAttempt,
        long retries,
        String params,
        Long bytes) {
      this.params = params;
      this.bytes = bytes;
      this.attempt = attempt;
      this.carriedBatches = carriedBatches;
      this.carriedRows = carriedRows;
      this.heartbeatAt = heartbeatAt;
      this.rowsReadThisAttempt = rowsReadThisAttempt;
      this.retries = retries;
      this.runId = runId;
      this.loadName = loadName;
      this.status = status;
      this.runner = runner;
      this.sourceRows = sourceRows;
      this.rowsWritten = rowsWritten;
      this.startedAt = startedAt;
      this.endedAt = endedAt;
      this.message = message;
      this.batches = batches;
      this.batchRows = batchRows;
    }
  }

  /** One partition line of {@code metaload status --run}. */
  public static final class PartitionSummary {
    public final int partitionId;
    public final String description;
    public final RunStatus status;
    public final long sourceRows;
    public final int readUnits;
    public final long batches;
    public final long rowsWritten;

    PartitionSummary(
        int partitionId,
        String description,
        RunStatus status,
        long sourceRows,
        int readUnits,
        long batches,
        long rowsWritten) {
      this.partitionId = partitionId;
      this.description = description;
      this.status = status;
      this.sourceRows = sourceRows;
      this.readUnits = readUnits;
      this.batches = batches;
      this.rowsWritten = rowsWritten;
    }
  }
}

package io.metaload.metadata.store;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.plan.ReadUnit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The read units of each run attempt ({@code load_read_unit}): their key ranges, estimates and the
 * rows they held.
 */
public final class ReadUnitLog {
  private final MetadataStore store;

  ReadUnitLog(MetadataStore store) {
    this.store = store;
  }

  /**
   * Records an attempt's read units (replacing any recorded for that attempt), numbered in order
   * within each partition (a resumed attempt's gap units all start their own numbering).
   */
  public void recordReadUnits(long runId, int attempt, List<ReadUnit> units) {
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps =
            c.prepareStatement("DELETE FROM load_read_unit WHERE run_id = ? AND attempt = ?")) {
          ps.setLong(1, runId);
          ps.setInt(2, attempt);
          ps.executeUpdate();
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO load_read_unit (run_id, attempt, partition_id, unit_index, key_from, "
                    + "key_to, estimated_rows) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          Map<Integer, Integer> ordinal = new HashMap<>();
          for (ReadUnit u : units) {
            ps.setLong(1, runId);
            ps.setInt(2, attempt);
            ps.setInt(3, u.partitionId());
            ps.setInt(4, ordinal.merge(u.partitionId(), 1, Integer::sum) - 1);
            ps.setLong(5, u.keyFrom());
            ps.setLong(6, u.keyTo());
            ps.setLong(7, u.estimatedRows());
            ps.addBatch();
          }
          ps.executeBatch();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("recording the read units of run " + runId, e, ExitCode.LOAD_FAILED)
          .withRun(runId);
    }
  }

  /**
   * One read unit of a run's first recorded attempt, with the rows and time of the batches that
   * started in its range.
   */
  public static final class UnitSummary {
    public int partitionId;
    public int unitIndex;
    public long keyFrom;
    public long keyTo;
    public long estimatedRows;
    public long rowsRead;
    public double seconds;
  }

  /**
   * The units the run was planned with (its first recorded attempt), with what their batches read.
   */
  public List<UnitSummary> units(long runId) {
    String sql =
        "SELECT u.partition_id, u.unit_index, u.key_from, u.key_to, u.estimated_rows, COALESCE(SUM(b.rows_read), 0), "
            + "MIN(b.started_at), MAX(b.ended_at) FROM load_read_unit u LEFT JOIN load_batch b ON b.run_id = u.run_id "
            + "AND b.partition_id = u.partition_id AND b.key_first >= u.key_from AND b.key_first < u.key_to "
            + "WHERE u.run_id = ? AND u.attempt = (SELECT MIN(attempt) FROM load_read_unit WHERE run_id = ?) "
            + "GROUP BY u.partition_id, u.unit_index, u.key_from, u.key_to, u.estimated_rows ORDER BY u.partition_id, u.unit_index";
    List<UnitSummary> out = new ArrayList<>();
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, runId);
      ps.setLong(2, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          UnitSummary u = new UnitSummary();
          u.partitionId = rs.getInt(1);
          u.unitIndex = rs.getInt(2);
          u.keyFrom = rs.getLong(3);
          u.keyTo = rs.getLong(4);
          u.estimatedRows = rs.getLong(5);
          u.rowsRead = rs.getLong(6);
          Timestamp start = rs.getTimestamp(7);
          Timestamp end = rs.getTimestamp(8);
          u.seconds = start == null || end == null ? 0 : (end.getTime() - start.getTime()) / 1000.0;
          out.add(u);
        }
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading the read units of run " + runId, e, ExitCode.LOAD_FAILED)
          .withRun(runId);
    }
    return out;
  }

  /** Largest rows read by one unit over the mean of all units; 0 when nothing was read. */
  public static double imbalance(List<UnitSummary> units) {
    long total = units.stream().mapToLong(u -> u.rowsRead).sum();
    if (units.isEmpty() || total == 0) {
      return 0;
    }
    long max = units.stream().mapToLong(u -> u.rowsRead).max().orElse(0);
    return max / ((double) total / units.size());
  }
}

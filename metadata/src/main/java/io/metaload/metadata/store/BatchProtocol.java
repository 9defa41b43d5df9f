package io.metaload.metadata.store;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The batch protocol ({@code load_batch}) and the rejects of each batch ({@code load_reject}): what
 * committed, per partition, and why rows were rejected.
 */
public final class BatchProtocol {
  private final MetadataStore store;

  BatchProtocol(MetadataStore store) {
    this.store = store;
  }

  /** Replaces the rejects of each batch that has any, in the caller's transaction. */
  private static void recordRejects(Connection c, List<BatchRecord> records) throws SQLException {
    if (records.stream().allMatch(r -> r.rejects().isEmpty())) {
      return;
    }
    try (PreparedStatement delete =
            c.prepareStatement("DELETE FROM load_reject WHERE run_id = ? AND batch_id = ?");
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO load_reject (run_id, batch_id, row_index, step, reason, row_data, "
                    + "created_at, load_name, partition_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      Timestamp now = new Timestamp(System.currentTimeMillis());
      for (BatchRecord r : records) {
        if (r.rejects().isEmpty()) {
          continue;
        }
        delete.setLong(1, r.runId());
        delete.setString(2, r.batchId());
        delete.addBatch();
        for (RejectRecord x : r.rejects()) {
          insert.setLong(1, x.runId());
          insert.setString(2, x.batchId());
          insert.setInt(3, x.rowIndex());
          insert.setString(4, StoreUpdates.clip(x.step(), 128));
          insert.setString(5, StoreUpdates.clip(x.reason(), 2000));
          insert.setString(6, StoreUpdates.clip(x.rowJson(), 4000));
          insert.setTimestamp(7, now);
          insert.setString(8, x.loadName());
          insert.setInt(9, x.partitionId());
          insert.addBatch();
        }
      }
      delete.executeBatch();
      insert.executeBatch();
    }
  }

  /**
   * Writes protocol records in one transaction on a caller's connection; a record already present
   * for the same run and batch id is replaced, so replays leave one row per batch.
   */
  public static void recordBatches(Connection c, List<BatchRecord> records) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement delete =
            c.prepareStatement("DELETE FROM load_batch WHERE run_id = ? AND batch_id = ?");
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO load_batch (run_id, batch_id, partition_id, key_first, key_last, rows_read, rows_written, rows_rejected, "
                    + "started_at, ended_at, attempt, retries, worker, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (BatchRecord r : records) {
        delete.setLong(1, r.runId());
        delete.setString(2, r.batchId());
        delete.addBatch();
        insert.setLong(1, r.runId());
        insert.setString(2, r.batchId());
        insert.setInt(3, r.partitionId());
        insert.setLong(4, r.keyFirst());
        insert.setLong(5, r.keyLast());
        insert.setLong(6, r.rowsRead());
        insert.setLong(7, r.rowsWritten());
        insert.setLong(8, r.rowsRejected());
        insert.setTimestamp(9, new Timestamp(r.startedAtMillis()));
        insert.setTimestamp(10, new Timestamp(r.endedAtMillis()));
        insert.setInt(11, r.attempt());
        insert.setInt(12, r.retries());
        insert.setString(13, r.worker());
        if (r.bytes() == null) {
          insert.setNull(14, Types.BIGINT);
        } else {
          insert.setLong(14, r.bytes());
        }
        insert.addBatch();
      }
      delete.executeBatch();
      insert.executeBatch();
      recordRejects(c, records);
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /** Ids of the batches the protocol records for a run. */
  public Set<String> batchIds(long runId) {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT batch_id FROM load_batch WHERE run_id = ?")) {
      ps.setLong(1, runId);
      Set<String> out = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading the batch protocol of run " + runId, e, ExitCode.LOAD_FAILED);
    }
  }

  /** Removes protocol rows, e.g. of batches whose data the target does not hold. */
  public void deleteBatches(long runId, Collection<String> batchIds) {
    for (String id : batchIds) {
      StoreUpdates.update(
          store,
          "removing protocol row " + id + " of run " + runId,
          "DELETE FROM load_batch WHERE run_id = ? AND batch_id = ?",
          runId,
          id);
      StoreUpdates.update(
          store,
          "removing the rejects of batch " + id + " of run " + runId,
          "DELETE FROM load_reject WHERE run_id = ? AND batch_id = ?",
          runId,
          id);
    }
  }

  /**
   * The key range {@code [key_first, key_last]} of every recorded batch of a run, per partition.
   */
  public Map<Integer, List<long[]>> batchRangesByPartition(long runId) {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT partition_id, key_first, key_last FROM load_batch WHERE run_id = ?")) {
      ps.setLong(1, runId);
      Map<Integer, List<long[]>> out = new LinkedHashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>())
              .add(new long[] {rs.getLong(2), rs.getLong(3)});
        }
      }
      return out;
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading the batch protocol of run " + runId, e, ExitCode.LOAD_FAILED)
          .withRun(runId);
    }
  }

  /** Rows written per partition according to the batch protocol. */
  public Map<Integer, Long> rowsWrittenByPartition(long runId) {
    return StoreUpdates.longsByPartition(
        store,
        "reading the batch protocol of run " + runId,
        "SELECT partition_id, SUM(rows_written) FROM load_batch WHERE run_id = ? GROUP BY partition_id",
        runId);
  }

  /** Rows read per partition according to the batch protocol. */
  public Map<Integer, Long> rowsReadByPartition(long runId) {
    return StoreUpdates.longsByPartition(
        store,
        "reading the batch protocol of run " + runId,
        "SELECT partition_id, SUM(rows_read) FROM load_batch WHERE run_id = ? GROUP BY partition_id",
        runId);
  }

  /** Rows rejected per partition according to the batch protocol. */
  public Map<Integer, Long> rowsRejectedByPartition(long runId) {
    return StoreUpdates.longsByPartition(
        store,
        "reading the batch protocol of run " + runId,
        "SELECT partition_id, SUM(rows_rejected) FROM load_batch WHERE run_id = ? GROUP BY partition_id",
        runId);
  }

  /** Rows of {@code load_reject} per partition. */
  public Map<Integer, Long> rejectRowsByPartition(long runId) {
    return StoreUpdates.longsByPartition(
        store,
        "reading the rejects of run " + runId,
        "SELECT partition_id, COUNT(*) FROM load_reject WHERE run_id = ? GROUP BY partition_id",
        runId);
  }

  /** The most frequent reject reasons of a run, "step: reason (count)", most frequent first. */
  public List<String> topRejectReasons(long runId, int limit) {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT step, reason, COUNT(*) AS n FROM load_reject WHERE run_id = ? GROUP BY step, reason ORDER BY n DESC, step, reason")) {
      ps.setLong(1, runId);
      ps.setMaxRows(limit);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1) + ": " + rs.getString(2) + " (" + rs.getLong(3) + ")");
        }
      }
      return out;
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading the rejects of run " + runId, e, ExitCode.LOAD_FAILED)
          .withRun(runId);
    }
  }
}

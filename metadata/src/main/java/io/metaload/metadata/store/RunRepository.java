package io.metaload.metadata.store;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.PartitionPlan;
import io.metaload.metadata.plan.ReadUnit;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Runs, partitions, the batch protocol and validations in the metadata store. */
public final class RunRepository {
  private final MetadataStore store;

  RunRepository(MetadataStore store) {
    this.store = store;
  }

  /**
   * Records a new RUNNING run with its partitions and names its staging and ledger tables. Its id
   * comes from the store's counter ({@code load_run_ids}), so launchers sharing a store never pick
   * the same one.
   */
  public RunContext start(LoadPlan plan, String runner, String params) {
    String load = plan.definition().name();
    for (int attempt = 0; ; attempt++) {
      try (Connection c = store.connection()) {
        long runId = nextRunId(c);
        PausePoints.reach("run-id-taken");
        c.setAutoCommit(false);
        try {
          String uid = java.util.UUID.randomUUID().toString();
          String suffix = runId + "_" + uid.substring(0, 6);
          TableRef staging =
              plan.target()
                  .withTable(Dialect.derivedName(plan.target().table(), "_ml_stg_" + suffix));
          TableRef ledger =
              plan.target()
                  .withTable(Dialect.derivedName(plan.target().table(), "_ml_ledger_" + suffix));
          insertRun(c, runId, uid, plan, runner, params, staging, ledger);
          for (PartitionPlan p : plan.partitions()) {
            insertPartition(c, runId, p);
          }
          c.commit();
          return RunContext.of(runId, plan, staging, ledger, uid);
        } catch (SQLException e) {
          c.rollback();
          if (attempt >= 3 || !isDuplicateKey(e)) {
            throw e;
          }
        }
      } catch (SQLException e) {
        throw SqlErrors.wrap("recording the start of load '" + load + "'", e, ExitCode.LOAD_FAILED)
            .withLoad(load);
      }
    }
  }

  private static boolean isDuplicateKey(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("23");
  }

  /**
   * Increments the counter row in a transaction of its own: its row lock makes concurrent launchers
   * take turns, and each reads back its own increment. An id whose run is then not recorded is
   * skipped, never reused; runs recorded past the counter (by a launcher of an earlier version,
   * which took {@code MAX(run_id) + 1}) are stepped over.
   */
  private static long nextRunId(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement inc =
            c.prepareStatement(
                "UPDATE load_run_ids SET last_id = GREATEST(last_id, (SELECT COALESCE(MAX(run_id), 0) "
                    + "FROM load_run)) + 1 WHERE id = 1");
        PreparedStatement read =
            c.prepareStatement("SELECT last_id FROM load_run_ids WHERE id = 1")) {
      if (inc.executeUpdate() != 1) {
        throw new SQLException(
            "the metadata store's run id counter (load_run_ids, id 1) is missing");
      }
      long id;
      try (ResultSet rs = read.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
      c.commit();
      return id;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static void insertRun(
      Connection c,
      long runId,
      String uid,
      LoadPlan plan,
      String runner,
      String params,
      TableRef staging,
      TableRef ledger)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO load_run (run_id, load_name, status, runner, params, target_table, staging_table, ledger_table, source_rows, started_at, "
                + "heartbeat_at, plan, run_uid, window_low, window_high) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, runId);
      ps.setString(2, plan.definition().name());
      ps.setString(3, RunStatus.RUNNING.name());
      ps.setString(4, runner);
      ps.setString(5, params);
      ps.setString(6, plan.target().toString());
      ps.setString(7, staging.toString());
      ps.setString(8, ledger.toString());
      ps.setLong(9, plan.sourceRows());
      ps.setTimestamp(10, Timestamp.from(Instant.now()));
      ps.setTimestamp(11, Timestamp.from(Instant.now()));
      ps.setBytes(12, PlanCodec.encode(plan));
      ps.setString(13, uid);
      ps.setString(14, plan.window() == null ? null : plan.window().lowLiteral());
      ps.setString(15, plan.window() == null ? null : plan.window().highLiteral());
      ps.executeUpdate();
    }
  }

  private static void insertPartition(Connection c, long runId, PartitionPlan p)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO load_partition (run_id, partition_id, description, key_from, key_to, read_units, source_rows, status) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, runId);
      ps.setInt(2, p.partitionId());
      ps.setString(
          3,
          p.description().length() > 1000 ? p.description().substring(0, 1000) : p.description());
      ps.setLong(4, p.keyFrom());
      ps.setLong(5, p.keyTo());
      ps.setInt(6, 0);
      ps.setLong(7, p.sourceRows());
      ps.setString(8, RunStatus.RUNNING.name());
      ps.executeUpdate();
    }
  }

  /**
   * Writes protocol records in one transaction on a caller's connection; a record already present
   * for the same run and batch id is replaced, so replays leave one row per batch.
   */
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
          insert.setString(4, clip(x.step(), 128));
          insert.setString(5, clip(x.reason(), 2000));
          insert.setString(6, clip(x.rowJson(), 4000));
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

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

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
      update(
          "removing protocol row " + id + " of run " + runId,
          "DELETE FROM load_batch WHERE run_id = ? AND batch_id = ?",
          runId,
          id);
      update(
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
    return longsByPartition(
        "reading the batch protocol of run " + runId,
        "SELECT partition_id, SUM(rows_written) FROM load_batch WHERE run_id = ? GROUP BY partition_id",
        runId);
  }

  /** Rows read per partition according to the batch protocol. */
  public Map<Integer, Long> rowsReadByPartition(long runId) {
    return longsByPartition(
        "reading the batch protocol of run " + runId,
        "SELECT partition_id, SUM(rows_read) FROM load_batch WHERE run_id = ? GROUP BY partition_id",
        runId);
  }

  /** Rows rejected per partition according to the batch protocol. */
  public Map<Integer, Long> rowsRejectedByPartition(long runId) {
    return longsByPartition(
        "reading the batch protocol of run " + runId,
        "SELECT partition_id, SUM(rows_rejected) FROM load_batch WHERE run_id = ? GROUP BY partition_id",
        runId);
  }

  /** Rows of {@code load_reject} per partition. */
  public Map<Integer, Long> rejectRowsByPartition(long runId) {
    return longsByPartition(
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

  private Map<Integer, Long> longsByPartition(String what, String sql, long runId) {
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, runId);
      Map<Integer, Long> out = new LinkedHashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getInt(1), rs.getLong(2));
        }
      }
      return out;
    } catch (SQLException e) {
      throw SqlErrors.wrap(what, e, ExitCode.LOAD_FAILED).withRun(runId);
    }
  }

  /** Records a check's outcome; a check recorded by an earlier attempt of the run is replaced. */
  public void recordValidation(
      long runId, int partitionId, String check, long expected, long actual) {
    recordValidation(runId, partitionId, check, expected, actual, expected == actual);
  }

  /** Records a check whose values are not whole numbers (a share, a date), as text. */
  public void recordValidation(
      long runId, int partitionId, String check, String expected, String actual, boolean passed) {
    replaceValidation(
        runId, partitionId, check, 0, 0, clip(expected, 200), clip(actual, 200), passed);
  }

  /**
   * Records a check whose pass is not equality, e.g. a limit: {@code expected} is the limit, {@code
   * actual} the value.
   */
  public void recordValidation(
      long runId, int partitionId, String check, long expected, long actual, boolean passed) {
    replaceValidation(runId, partitionId, check, expected, actual, null, null, passed);
  }

  /**
   * Replaces the run's row for {@code check} in one transaction; names longer than the column are
   * clipped.
   */
  private void replaceValidation(
      long runId,
      int partitionId,
      String check,
      long expected,
      long actual,
      String expectedText,
      String actualText,
      boolean passed) {
    String name = clip(check, 64);
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement delete =
              c.prepareStatement(
                  "DELETE FROM load_validation WHERE run_id = ? AND partition_id = ? AND check_name = ?");
          PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO load_validation (run_id, partition_id, check_name, expected, actual, "
                      + "passed, checked_at, expected_text, actual_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        delete.setLong(1, runId);
        delete.setInt(2, partitionId);
        delete.setString(3, name);
        delete.executeUpdate();
        insert.setLong(1, runId);
        insert.setInt(2, partitionId);
        insert.setString(3, name);
        insert.setLong(4, expected);
        insert.setLong(5, actual);
        insert.setBoolean(6, passed);
        insert.setTimestamp(7, Timestamp.from(Instant.now()));
        insert.setString(8, expectedText);
        insert.setString(9, actualText);
        insert.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("recording check " + check + " of run " + runId, e, ExitCode.LOAD_FAILED)
          .withRun(runId);
    }
  }

  /**
   * Expected source rows per partition: the plan's counts, or those a resumed attempt counted in
   * its snapshot.
   */
  public Map<Integer, Long> expectedRowsByPartition(long runId) {
    return longsByPartition(
        "reading the expected rows of run " + runId,
        "SELECT partition_id, source_rows FROM load_partition WHERE run_id = ?",
        runId);
  }

  /**
   * Replaces the expected source rows per partition (and their sum on the run) in one transaction.
   */
  public void setExpectedRows(long runId, Map<Integer, Long> rowsByPartition) {
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement partition =
              c.prepareStatement(
                  "UPDATE load_partition SET source_rows = ? WHERE run_id = ? AND partition_id = ?");
          PreparedStatement run =
              c.prepareStatement("UPDATE load_run SET source_rows = ? WHERE run_id = ?")) {
        long total = 0;
        for (Map.Entry<Integer, Long> e : rowsByPartition.entrySet()) {
          partition.setLong(1, e.getValue());
          partition.setLong(2, runId);
          partition.setInt(3, e.getKey());
          partition.executeUpdate();
          total += e.getValue();
        }
        run.setLong(1, total);
        run.setLong(2, runId);
        run.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("recording the expected rows of run " + runId, e, ExitCode.LOAD_FAILED)
          .withRun(runId);
    }
  }

  /**
   * Records the exported source snapshot the current attempt reads in (null when there is none).
   */
  public void recordSnapshot(long runId, String snapshotId) {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE load_run SET source_snapshot = ? WHERE run_id = ?")) {
      ps.setString(1, snapshotId);
      ps.setLong(2, runId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw SqlErrors.wrap("recording the source snapshot of run " + runId, e, ExitCode.LOAD_FAILED)
          .withRun(runId);
    }
  }

  public void finishPartition(long runId, int partitionId, long rowsWritten, RunStatus status) {
    update(
        "updating partition " + partitionId + " of run " + runId,
        "UPDATE load_partition SET rows_written = ?, status = ? WHERE run_id = ? AND partition_id = ?",
        rowsWritten,
        status.name(),
        runId,
        partitionId);
  }

  public void setReadUnits(long runId, Map<Integer, Integer> unitsByPartition) {
    unitsByPartition.forEach(
        (partition, units) ->
            update(
                "recording read units of run " + runId,
                "UPDATE load_partition SET read_units = ? WHERE run_id = ? AND partition_id = ?",
                units,
                runId,
                partition));
  }

  /**
   * Inside the publication fence's transaction: records the lock token that publishes the run, if
   * the run is still at {@code attempt}; false when a later attempt has taken it over.
   */
  public static boolean claimPublication(Connection c, long runId, int attempt, String lockToken)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE load_run SET lock_token = ? WHERE run_id = ? AND attempt = ? AND status = ?")) {
      ps.setString(1, lockToken);
      ps.setLong(2, runId);
      ps.setInt(3, attempt);
      ps.setString(4, RunStatus.RUNNING.name());
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Ends a run whatever its attempt: for an operator's abandon and for marking a dead process's
   * run.
   */
  public void finishRun(long runId, RunStatus status, Long rowsWritten, String message) {
    try (Connection c = store.connection()) {
      finishRun(c, runId, null, status, rowsWritten, message, null);
    } catch (SQLException e) {
      throw SqlErrors.wrap("recording the end of run " + runId, e, ExitCode.LOAD_FAILED)
          .withRun(runId);
    }
  }

  /**
   * Ends one attempt of a run that is still RUNNING. Nothing changes when the run has moved on to a
   * later attempt or has already ended (a launcher that lost the run to another must not overwrite
   * the new holder's status, nor a published run's); returns whether the run was updated.
   */
  public boolean finishAttempt(
      long runId, int attempt, RunStatus status, Long rowsWritten, String message) {
    try (Connection c = store.connection()) {
      return finishRun(c, runId, attempt, status, rowsWritten, message, null);
    } catch (SQLException e) {
      throw SqlErrors.wrap("recording the end of run " + runId, e, ExitCode.LOAD_FAILED)
          .withRun(runId);
    }
  }

  /**
   * {@link #finishAttempt} on a caller's connection and transaction, e.g. the one holding the
   * publication fence; records the lock token that published the run.
   */
  public static boolean finishRun(
      Connection c,
      long runId,
      Integer attempt,
      RunStatus status,
      Long rowsWritten,
      String message,
      String lockToken)
      throws SQLException {
    String trimmed =
        message == null || message.length() <= 4000 ? message : message.substring(0, 4000);
    int updated;
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE load_run SET status = ?, rows_written = ?, ended_at = ?, message = ?"
                + (lockToken == null ? "" : ", lock_token = ?")
                + " WHERE run_id = ?"
                + (attempt == null
                    ? ""
                    : " AND attempt = ? AND status = '" + RunStatus.RUNNING.name() + "'"))) {
      int i = 1;
      ps.setString(i++, status.name());
      if (rowsWritten == null) {
        ps.setNull(i++, Types.BIGINT);
      } else {
        ps.setLong(i++, rowsWritten);
      }
      ps.setTimestamp(i++, Timestamp.from(Instant.now()));
      ps.setString(i++, trimmed);
      if (lockToken != null) {
        ps.setString(i++, lockToken);
      }
      ps.setLong(i++, runId);
      if (attempt != null) {
        ps.setInt(i, attempt);
      }
      updated = ps.executeUpdate();
    }
    if (updated > 0 && (status == RunStatus.FAILED || status == RunStatus.ABANDONED)) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE load_partition SET status = ? WHERE run_id = ? AND status = ?")) {
        ps.setString(1, status.name());
        ps.setLong(2, runId);
        ps.setString(3, RunStatus.RUNNING.name());
        ps.executeUpdate();
      }
    }
    return updated > 0;
  }

  private void update(String what, String sql, Object... args) {
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] == null) {
          ps.setNull(i + 1, Types.BIGINT);
        } else {
          ps.setObject(i + 1, args[i]);
        }
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw SqlErrors.wrap(what, e, ExitCode.LOAD_FAILED);
    }
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

  /** A run's staging table and ledger, read without decoding its plan. */
  public TableRef[] stagingTables(long runId) {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT staging_table, ledger_table FROM load_run WHERE run_id = ?")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw MetaloadException.badConfig("no run with id " + runId).withRun(runId);
        }
        return new TableRef[] {TableRef.parse(rs.getString(1)), TableRef.parse(rs.getString(2))};
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading run " + runId, e, ExitCode.LOAD_FAILED);
    }
  }

  /** The target table a run publishes into and the run's uid, read without decoding its plan. */
  public Map.Entry<TableRef, String> targetAndUid(long runId) {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT target_table, run_uid FROM load_run WHERE run_id = ?")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw MetaloadException.badConfig("no run with id " + runId).withRun(runId);
        }
        return Map.entry(
            TableRef.parse(rs.getString(1)),
            rs.getString(2) == null ? "run-" + runId : rs.getString(2));
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading run " + runId, e, ExitCode.LOAD_FAILED);
    }
  }

  /** A recorded run with its original plan, for resuming it. */
  public RunContext context(long runId) {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT plan, staging_table, ledger_table, run_uid, load_name FROM load_run WHERE run_id = ?")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw MetaloadException.badConfig("no run with id " + runId).withRun(runId);
        }
        LoadPlan plan;
        try {
          plan = PlanCodec.decode(rs.getBytes(1), runId);
        } catch (MetaloadException e) {
          throw e.withLoad(rs.getString(5));
        }
        String uid = rs.getString(4) == null ? "run-" + runId : rs.getString(4);
        return RunContext.of(
            runId, plan, TableRef.parse(rs.getString(2)), TableRef.parse(rs.getString(3)), uid);
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading run " + runId, e, ExitCode.LOAD_FAILED);
    }
  }

  /** Marks a run RUNNING again for a new attempt and records what it carries over. */
  public void startAttempt(long runId, int attempt, long carriedBatches, long carriedRows) {
    update(
        "starting attempt " + attempt + " of run " + runId,
        "UPDATE load_run SET status = ?, attempt = ?, carried_batches = ?, carried_rows = ?, ended_at = NULL, message = NULL, "
            + "heartbeat_at = ? WHERE run_id = ?",
        RunStatus.RUNNING.name(),
        attempt,
        carriedBatches,
        carriedRows,
        Timestamp.from(Instant.now()),
        runId);
    update(
        "reopening partitions of run " + runId,
        "UPDATE load_partition SET status = ? WHERE run_id = ?",
        RunStatus.RUNNING.name(),
        runId);
  }

  public void heartbeat(long runId) {
    update(
        "heartbeat of run " + runId,
        "UPDATE load_run SET heartbeat_at = ? WHERE run_id = ?",
        Timestamp.from(Instant.now()),
        runId);
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

  /**
   * Copies a load's watermark, as the target's publication log recorded it with the run's rows,
   * into {@code load_watermark}; repeating it is harmless.
   */
  public void recordWatermark(String loadName, String watermark, long runId) {
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps =
            c.prepareStatement("DELETE FROM load_watermark WHERE load_name = ?")) {
          ps.setString(1, loadName);
          ps.executeUpdate();
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO load_watermark (load_name, watermark, run_id, updated_at) VALUES (?, ?, ?, ?)")) {
          ps.setString(1, loadName);
          ps.setString(2, watermark);
          ps.setLong(3, runId);
          ps.setTimestamp(4, Timestamp.from(Instant.now()));
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap(
          "recording the watermark of load '" + loadName + "'", e, ExitCode.LOAD_FAILED);
    }
  }

  /** The watermark {@code load_watermark} holds for a load, if any. */
  public Optional<String> watermark(String loadName) {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT watermark FROM load_watermark WHERE load_name = ?")) {
      ps.setString(1, loadName);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap(
          "reading the watermark of load '" + loadName + "'", e, ExitCode.LOAD_FAILED);
    }
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

  /** One recorded check of a run: {@code partition_id} -1 for whole-run checks. */
  public static final class ValidationSummary {
    public int partitionId;
    public String check;
    public long expected;
    public long actual;
    public boolean passed;
  }

  /** The checks recorded for a run, by partition and name. */
  public List<ValidationSummary> validations(long runId) {
    List<ValidationSummary> out = new ArrayList<>();
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT partition_id, check_name, expected, actual, "
                    + "passed FROM load_validation WHERE run_id = ? ORDER BY partition_id, check_name")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ValidationSummary v = new ValidationSummary();
          v.partitionId = rs.getInt(1);
          v.check = rs.getString(2);
          v.expected = rs.getLong(3);
          v.actual = rs.getLong(4);
          v.passed = rs.getBoolean(5);
          out.add(v);
        }
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading the validations of run " + runId, e, ExitCode.LOAD_FAILED)
          .withRun(runId);
    }
    return out;
  }

  /**
   * Records that a run put its load's SLA at risk ({@code AT_RISK}) or missed it ({@code MISSED}).
   */
  public void setSlaState(long runId, String state) {
    update(
        "recording the SLA state of run " + runId,
        "UPDATE load_run SET sla_state = ? WHERE run_id = ?",
        state,
        runId);
  }

  /** The SLA state recorded for a run, or null. */
  public String slaState(long runId) {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT sla_state FROM load_run WHERE run_id = ?")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading the SLA state of run " + runId, e, ExitCode.LOAD_FAILED)
          .withRun(runId);
    }
  }
}

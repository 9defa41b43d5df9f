package io.metaload.metadata.store;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.PartitionPlan;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Map;

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
   * Expected source rows per partition: the plan's counts, or those a resumed attempt counted in
   * its snapshot.
   */
  public Map<Integer, Long> expectedRowsByPartition(long runId) {
    return StoreUpdates.longsByPartition(
        store,
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
    StoreUpdates.update(
        store,
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
            StoreUpdates.update(
                store,
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
    StoreUpdates.update(
        store,
        "starting attempt " + attempt + " of run " + runId,
        "UPDATE load_run SET status = ?, attempt = ?, carried_batches = ?, carried_rows = ?, ended_at = NULL, message = NULL, "
            + "heartbeat_at = ? WHERE run_id = ?",
        RunStatus.RUNNING.name(),
        attempt,
        carriedBatches,
        carriedRows,
        Timestamp.from(Instant.now()),
        runId);
    StoreUpdates.update(
        store,
        "reopening partitions of run " + runId,
        "UPDATE load_partition SET status = ? WHERE run_id = ?",
        RunStatus.RUNNING.name(),
        runId);
  }

  public void heartbeat(long runId) {
    StoreUpdates.update(
        store,
        "heartbeat of run " + runId,
        "UPDATE load_run SET heartbeat_at = ? WHERE run_id = ?",
        Timestamp.from(Instant.now()),
        runId);
  }

  /**
   * Records that a run put its load's SLA at risk ({@code AT_RISK}) or missed it ({@code MISSED}).
   */
  public void setSlaState(long runId, String state) {
    StoreUpdates.update(
        store,
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

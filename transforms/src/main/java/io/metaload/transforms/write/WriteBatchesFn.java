package io.metaload.transforms.write;

import io.metaload.metadata.config.Workers;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.store.BatchRecord;
import io.metaload.metadata.store.RejectRecord;
import io.metaload.metadata.store.RejectsJson;
import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.retry.TransientRetry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Commits each batch to the staging table in one transaction that first records the batch id (and
 * the batch's rejected rows) in the run's ledger. A replayed batch finds its id there, writes
 * nothing and reports the rows and rejects of the first commit, so any number of replays leaves
 * staging identical. Rows the target refuses (a value too long, out of range, NULL in a NOT NULL
 * column) are isolated by {@link RefusedRows} and rejected; the rest of the batch commits.
 */
final class WriteBatchesFn extends DoFn<RowBatch, BatchRecord> {
  private static final long serialVersionUID = 1L;

  private final StagingTarget target;
  private final Counter rowsWritten = Metrics.counter(WriteBatchesFn.class, "rowsWritten");
  private final Counter replays = Metrics.counter(WriteBatchesFn.class, "batchesAlreadyCommitted");
  private final Counter refusedByTarget =
      Metrics.counter(WriteBatchesFn.class, "rowsRefusedByTarget");
  private transient Connection connection;
  private transient RefusedRows loader;

  WriteBatchesFn(StagingTarget target) {
    this.target = target;
  }

  @Setup
  public void setup() {
    List<String> names = new ArrayList<>();
    target.columns().forEach(c -> names.add(c.name()));
    loader =
        new RefusedRows(
            BatchLoader.forTarget(target),
            target.rejectsRefusedRows(),
            names,
            target.hiddenColumns());
  }

  @ProcessElement
  public void process(@Element RowBatch batch, OutputReceiver<BatchRecord> out) {
    TransientRetry retry = new TransientRetry(target.retry());
    Committed written;
    try {
      written =
          retry.run(
              "writing batch " + batch.batchId() + " to " + target.staging(),
              () -> commit(batch),
              this::closeQuietly);
    } catch (SQLException e) {
      closeQuietly();
      throw SqlErrors.wrap(
              "writing batch "
                  + batch.batchId()
                  + " to "
                  + target.staging()
                  + " in "
                  + target.connection().describe(),
              e,
              SqlErrors.isDataError(e) ? ExitCode.DATA_REFUSED : ExitCode.LOAD_FAILED)
          .withRun(batch.runId())
          .withLoad(batch.loadName())
          .withPartition(batch.partitionId())
          .withBatch(batch.batchId());
    }
    out.output(
        BatchRecord.of(
                batch.runId(),
                batch.loadName(),
                batch.batchId(),
                batch.partitionId(),
                batch.firstKey(),
                batch.lastKey(),
                batch.rowsRead(),
                written.rows,
                written.rejects.size(),
                batch.readStartedMillis(),
                System.currentTimeMillis(),
                target.attempt(),
                batch.readRetries() + retry.retries())
            .writtenBy(Workers.identity())
            .withBytes(written.bytes < 0 ? null : written.bytes)
            .withRejects(written.rejects));
  }

  /**
   * What the batch's transaction committed (or an earlier attempt had): rows, bytes sent, and every
   * reject of the batch.
   */
  private static final class Committed {
    final long rows;
    final long bytes;
    final List<RejectRecord> rejects;

    Committed(long rows, long bytes, List<RejectRecord> rejects) {
      this.rows = rows;
      this.bytes = bytes;
      this.rejects = rejects;
    }
  }

  /**
   * One transaction: claim the batch id in the ledger, load the rows, commit. Returns the rows the
   * batch holds and the bytes sent (none when an earlier attempt had committed the batch).
   */
  private Committed commit(RowBatch batch) throws SQLException {
    Connection c = connection();
    try {
      Committed written;
      if (claimInLedger(c, batch)) {
        RefusedRows.Outcome outcome =
            batch.rowCount() == 0
                ? new RefusedRows.Outcome(BatchLoader.Loaded.of(0, 0), List.of())
                : loader.load(c, batch);
        if (outcome.loaded.rows() + outcome.refused.size() != batch.rowCount()) {
          throw new SQLException(
              "staging accepted "
                  + outcome.loaded.rows()
                  + " and refused "
                  + outcome.refused.size()
                  + " of "
                  + batch.rowCount()
                  + " rows");
        }
        List<RejectRecord> rejects = batch.rejects();
        if (!outcome.refused.isEmpty()) {
          rejects = new ArrayList<>(batch.rejects());
          rejects.addAll(outcome.refused);
          recordRefused(c, batch, outcome.loaded.rows(), rejects);
          refusedByTarget.inc(outcome.refused.size());
        }
        PausePoints.reach("batch-loaded");
        c.commit();
        PausePoints.reach("batch-committed");
        rowsWritten.inc(outcome.loaded.rows());
        written = new Committed(outcome.loaded.rows(), outcome.loaded.bytes(), rejects);
      } else {
        c.rollback();
        written = committed(c, batch);
        c.commit();
        replays.inc();
      }
      return written;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    }
  }

  /** Inserts the batch id into the ledger; false if an earlier attempt already committed it. */
  private boolean claimInLedger(Connection c, RowBatch batch) throws SQLException {
    boolean rejects = !batch.rejects().isEmpty();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + target.dialect().qualified(target.ledger())
                + " (batch_id, partition_id, key_first, key_last, rows_read, rows_written"
                + (rejects ? ", rejects" : "")
                + ") VALUES (?, ?, ?, ?, ?, ?"
                + (rejects ? ", ?" : "")
                + ")")) {
      ps.setString(1, batch.batchId());
      ps.setInt(2, batch.partitionId());
      ps.setLong(3, batch.firstKey());
      ps.setLong(4, batch.lastKey());
      ps.setLong(5, batch.rowsRead());
      ps.setLong(6, batch.rowCount());
      if (rejects) {
        ps.setString(7, RejectsJson.write(batch.rejects()));
      }
      ps.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
        return false;
      }
      throw e;
    }
  }

  /**
   * The ledger's record of a batch an earlier attempt committed: its rows and its rejects (a ledger
   * of an older version has none).
   */
  private Committed committed(Connection c, RowBatch batch) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT * FROM "
                + target.dialect().qualified(target.ledger())
                + " WHERE batch_id = ?")) {
      ps.setString(1, batch.batchId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException(
              "batch " + batch.batchId() + " collided in the ledger but is not there");
        }
        boolean withRejects = false;
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          withRejects |= rs.getMetaData().getColumnName(i).equalsIgnoreCase("rejects");
        }
        return new Committed(
            rs.getLong("rows_written"),
            0,
            withRejects
                ? RejectsJson.read(
                    rs.getString("rejects"),
                    batch.runId(),
                    batch.loadName(),
                    batch.partitionId(),
                    batch.batchId())
                : List.of());
      }
    }
  }

  /**
   * Records in the batch's ledger row, in its transaction, the rows the target took and all the
   * batch's rejects.
   */
  private void recordRefused(Connection c, RowBatch batch, long rows, List<RejectRecord> rejects)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + target.dialect().qualified(target.ledger())
                + " SET rows_written = ?, rejects = ? WHERE batch_id = ?")) {
      ps.setLong(1, rows);
      ps.setString(2, RejectsJson.write(rejects));
      ps.setString(3, batch.batchId());
      ps.executeUpdate();
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = target.connection().open();
      connection.setAutoCommit(false);
    }
    return connection;
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The original failure is reported; a failed rollback leaves nothing committed.
    }
  }

  private void closeQuietly() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Already broken.
      }
      connection = null;
    }
  }

  @Teardown
  public void teardown() {
    closeQuietly();
  }
}

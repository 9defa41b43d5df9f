package io.metaload.transforms.write;

import io.metaload.metadata.config.Workers;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.store.BatchRecord;
import io.metaload.metadata.store.RejectsJson;
import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.retry.TransientRetry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Commits each batch to the staging table in one transaction that first records the batch id
 * (and the batch's rejected rows) in the run's ledger. A replayed batch finds its id there, writes nothing and reports the
 * rows of the first commit, so any number of replays leaves staging identical.
 */
final class WriteBatchesFn extends DoFn<RowBatch, BatchRecord> {
  private static final long serialVersionUID = 1L;

  private final StagingTarget target;
  private final Counter rowsWritten = Metrics.counter(WriteBatchesFn.class, "rowsWritten");
  private final Counter replays = Metrics.counter(WriteBatchesFn.class, "batchesAlreadyCommitted");
  private transient Connection connection;
  private transient BatchLoader loader;

  WriteBatchesFn(StagingTarget target) {
    this.target = target;
  }

  @Setup
  public void setup() {
    loader = BatchLoader.forTarget(target);
  }

  @ProcessElement
  public void process(@Element RowBatch batch, OutputReceiver<BatchRecord> out) {
    TransientRetry retry = new TransientRetry(target.retry());
    BatchLoader.Loaded written;
    try {
      written = retry.run("writing batch " + batch.batchId() + " to " + target.staging(), () -> commit(batch), this::closeQuietly);
    } catch (SQLException e) {
      closeQuietly();
      throw SqlErrors.wrap("writing batch " + batch.batchId() + " to " + target.staging() + " in " + target.connection().describe(),
          e, ExitCode.LOAD_FAILED).withRun(batch.runId()).withLoad(batch.loadName()).withPartition(batch.partitionId())
          .withBatch(batch.batchId());
    }
    out.output(BatchRecord.of(batch.runId(), batch.loadName(), batch.batchId(), batch.partitionId(), batch.firstKey(),
        batch.lastKey(), batch.rowsRead(), written.rows(), batch.rejects().size(), batch.readStartedMillis(),
        System.currentTimeMillis(), target.attempt(), batch.readRetries() + retry.retries()).writtenBy(Workers.identity())
        .withBytes(written.bytes() < 0 ? null : written.bytes()).withRejects(batch.rejects()));
  }

  /**
   * One transaction: claim the batch id in the ledger, load the rows, commit. Returns the rows
   * the batch holds and the bytes sent (none when an earlier attempt had committed the batch).
   */
  private BatchLoader.Loaded commit(RowBatch batch) throws SQLException {
    Connection c = connection();
    try {
      BatchLoader.Loaded written;
      if (claimInLedger(c, batch)) {
        written = batch.rowCount() == 0 ? BatchLoader.Loaded.of(0, 0) : loader.load(c, batch);
        if (written.rows() != batch.rowCount()) {
          throw new SQLException("staging accepted " + written.rows() + " of " + batch.rowCount() + " rows");
        }
        PausePoints.reach("batch-loaded");
        c.commit();
        PausePoints.reach("batch-committed");
        rowsWritten.inc(written.rows());
      } else {
        c.rollback();
        written = BatchLoader.Loaded.of(committedRows(c, batch.batchId()), 0);
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
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO " + target.dialect().qualified(target.ledger())
            + " (batch_id, partition_id, key_first, key_last, rows_read, rows_written" + (rejects ? ", rejects" : "")
            + ") VALUES (?, ?, ?, ?, ?, ?" + (rejects ? ", ?" : "") + ")")) {
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

  private long committedRows(Connection c, String batchId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT rows_written FROM " + target.dialect().qualified(target.ledger()) + " WHERE batch_id = ?")) {
      ps.setString(1, batchId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("batch " + batchId + " collided in the ledger but is not there");
        }
        return rs.getLong(1);
      }
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

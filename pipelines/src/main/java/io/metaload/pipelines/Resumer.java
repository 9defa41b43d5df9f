package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.plan.ReadUnit;
import io.metaload.metadata.plan.ResumePlanner;
import io.metaload.metadata.plan.RunPlanner;
import io.metaload.metadata.store.BatchRecord;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunContext;
import io.metaload.metadata.store.RunRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Prepares the next attempt of an unfinished run. The ledger in the target, written in the same
 * transaction as each batch's rows, is the truth about what is committed: the protocol is
 * brought in line with it, and the new attempt reads only the split-key ranges no committed
 * batch covers.
 */
final class Resumer {
  private final MetadataStore store;

  Resumer(MetadataStore store) {
    this.store = store;
  }

  RunAttempt prepare(RunContext run, ConnectionSpec target, int previousAttempt, int workers) {
    List<BatchRecord> committed = readLedger(run, target, previousAttempt);
    RunRepository runs = store.runs();
    Set<String> recorded = runs.batchIds(run.runId());
    List<BatchRecord> missing = new ArrayList<>();
    Set<String> inLedger = new java.util.HashSet<>();
    long carriedRows = 0;
    List<ResumePlanner.Covered> covered = new ArrayList<>();
    for (BatchRecord b : committed) {
      inLedger.add(b.batchId());
      carriedRows += b.rowsWritten();
      covered.add(new ResumePlanner.Covered(b.partitionId(), b.keyFirst(), b.keyLast()));
      if (!recorded.contains(b.batchId())) {
        missing.add(b);
      }
    }
    try (Connection c = store.connection()) {
      if (!missing.isEmpty()) {
        RunRepository.recordBatches(c, missing);
      }
      List<String> orphans = new ArrayList<>(recorded);
      orphans.removeAll(inLedger);
      runs.deleteBatches(run.runId(), orphans);
    } catch (SQLException e) {
      throw SqlErrors.wrap("reconciling the protocol of run " + run.runId() + " with its ledger", e, ExitCode.LOAD_FAILED).withRun(run.runId());
    }
    long rowsLeft = Math.max(0, run.plan().sourceRows() - carriedRows);
    List<ReadUnit> units = ResumePlanner.remainingUnits(run.runId(), run.plan(), covered, rowsLeft, workers);
    int attempt = previousAttempt + 1;
    runs.startAttempt(run.runId(), attempt, committed.size(), carriedRows);
    return RunAttempt.of(run, attempt, units);
  }

  private static List<BatchRecord> readLedger(RunContext run, ConnectionSpec target, int previousAttempt) {
    Dialect dialect = Dialect.forUrl(target.url());
    try (Connection c = RunPlanner.open(target, "target")) {
      if (dialect.resolve(c, run.staging()).isEmpty() || dialect.resolve(c, run.ledger()).isEmpty()) {
        throw new MetaloadException(ExitCode.LOAD_FAILED, "run " + run.runId() + " cannot be resumed: its staging table " + run.staging()
            + " or ledger " + run.ledger() + " no longer exists in " + target.describe() + "; abandon the run and start a new one")
            .withRun(run.runId()).withLoad(run.loadName());
      }
      List<BatchRecord> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
              "SELECT batch_id, partition_id, key_first, key_last, rows_read, rows_written FROM " + dialect.qualified(run.ledger()));
          ResultSet rs = ps.executeQuery()) {
        long now = System.currentTimeMillis();
        while (rs.next()) {
          out.add(BatchRecord.of(run.runId(), run.loadName(), rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4),
              rs.getLong(5), rs.getLong(6), rs.getLong(5) - rs.getLong(6), now, now, previousAttempt, 0));
        }
      }
      return out;
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading the ledger of run " + run.runId(), e, ExitCode.LOAD_FAILED).withRun(run.runId());
    }
  }
}

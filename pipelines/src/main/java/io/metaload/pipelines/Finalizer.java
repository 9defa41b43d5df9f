package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.plan.PartitionPlan;
import io.metaload.metadata.plan.RunPlanner;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.store.RunContext;
import io.metaload.metadata.store.RunRepository;
import io.metaload.metadata.store.RunStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ends a run whose pipeline finished: compares each partition's source count with the rows the
 * protocol says were written, checks the staging table holds their sum, and only then publishes
 * staging into the target and marks the run succeeded. On a mismatch the target is untouched,
 * the run is marked failed, and a {@link ExitCode#VALIDATION_MISMATCH} names the partition and
 * both counts.
 */
public final class Finalizer {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Finalizer.class);
  /** Partition id used for whole-run checks in {@code load_validation}. */
  static final int WHOLE_RUN = -1;

  private final RunRepository runs;

  public Finalizer(RunRepository runs) {
    this.runs = runs;
  }

  /** Returns the rows published. */
  public long finalizeRun(RunContext run, ConnectionSpec target) {
    Map<Integer, Long> written = runs.rowsWrittenByPartition(run.runId());
    List<String> mismatches = new ArrayList<>();
    long total = 0;
    for (PartitionPlan p : run.plan().partitions()) {
      long actual = written.getOrDefault(p.partitionId(), 0L);
      total += actual;
      runs.recordValidation(run.runId(), p.partitionId(), "source_rows_equal_rows_written", p.sourceRows(), actual);
      if (actual != p.sourceRows()) {
        mismatches.add("partition " + p.partitionId() + " (" + p.description() + "): source has " + p.sourceRows()
            + " rows, " + actual + " were written");
      }
    }
    Dialect dialect = Dialect.forUrl(target.url());
    try (Connection c = RunPlanner.open(target, "target")) {
      long staged = count(c, dialect, run.staging());
      runs.recordValidation(run.runId(), WHOLE_RUN, "staging_rows_equal_rows_written", total, staged);
      if (staged != total) {
        mismatches.add("staging table " + run.staging() + " holds " + staged + " rows, the protocol says " + total);
      }
      for (PartitionPlan p : run.plan().partitions()) {
        long actual = written.getOrDefault(p.partitionId(), 0L);
        boolean ok = actual == p.sourceRows() && staged == total;
        runs.finishPartition(run.runId(), p.partitionId(), actual, ok ? RunStatus.SUCCEEDED : RunStatus.FAILED);
      }
      if (!mismatches.isEmpty()) {
        String message = "validation failed, target " + run.plan().target() + " left untouched: " + String.join("; ", mismatches);
        runs.finishRun(run.runId(), RunStatus.FAILED, total, message);
        throw new MetaloadException(ExitCode.VALIDATION_MISMATCH, message).withRun(run.runId()).withLoad(run.loadName());
      }
      for (String sql : dialect.completeStaging(c, run.staging(), run.plan().targetSchema())) {
        try (Statement s = c.createStatement()) {
          s.execute(sql);
        }
      }
      publish(c, dialect, run);
    } catch (SQLException e) {
      MetaloadException failure = SqlErrors.wrap("publishing " + run.staging() + " into " + run.plan().target(), e, ExitCode.LOAD_FAILED)
          .withRun(run.runId()).withLoad(run.loadName());
      runs.finishRun(run.runId(), RunStatus.FAILED, total, failure.getMessage());
      throw failure;
    }
    runs.finishRun(run.runId(), RunStatus.SUCCEEDED, total, null);
    return total;
  }

  private static long count(Connection c, Dialect dialect, TableRef table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + dialect.qualified(table))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Swaps staging into the target in one transaction where the database allows it, then drops the ledger. */
  private static void publish(Connection c, Dialect dialect, RunContext run) throws SQLException {
    TableRef target = run.plan().target();
    TableRef retired = target.withTable(Dialect.derivedName(target.table(), "_ml_old_" + run.runId()));
    c.setAutoCommit(!dialect.transactionalDdl());
    try (Statement s = c.createStatement()) {
      for (String sql : dialect.swap(target, run.staging(), retired)) {
        s.execute(sql);
      }
      if (dialect.transactionalDdl()) {
        c.commit();
      }
    } catch (SQLException e) {
      if (dialect.transactionalDdl()) {
        c.rollback();
      }
      throw e;
    }
    c.setAutoCommit(true);
    for (TableRef leftover : new TableRef[] {retired, run.ledger()}) {
      try (Statement s = c.createStatement()) {
        s.execute(dialect.dropTableIfExists(leftover));
      } catch (SQLException e) {
        LOG.warn("run {}: target {} is published, but dropping {} failed (drop it by hand): {}", run.runId(), target, leftover,
            e.getMessage());
      }
    }
  }
}

package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.Connections;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.store.RunContext;
import io.metaload.transforms.write.PublicationLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates what a run writes into: the target table if it does not exist (from the source's columns
 * through the dialect's type mapping, with the source's primary key), the publication log, the
 * run's staging table shaped like the target (without keys for a delta window, which is merged
 * rather than swapped), and last the batch ledger. The ledger's existence marks a prepared run:
 * without it no batch can have committed, so preparing again after a kill drops a half-made staging
 * table and starts over.
 */
final class TargetPreparer {
  private TargetPreparer() {}

  static void prepare(RunContext run, ConnectionSpec target) {
    LoadPlan plan = run.plan();
    Dialect dialect = Dialect.forUrl(target.url());
    try (Connection c = Connections.open(target, "target");
        Statement s = c.createStatement()) {
      if (dialect.resolve(c, plan.target()).isEmpty()) {
        s.execute(dialect.createTable(plan.target(), plan.targetSchema()));
      }
      PublicationLog.beside(dialect, plan.target()).createIfMissing(c);
      s.execute(dialect.dropTableIfExists(run.staging()));
      boolean window = plan.window() != null && plan.window().reads();
      for (String sql :
          window
              ? dialect.createPlainStaging(c, plan.target(), plan.targetSchema(), run.staging())
              : dialect.createStaging(c, plan.target(), plan.targetSchema(), run.staging())) {
        s.execute(sql);
      }
      PausePoints.reach("staging-created");
      s.execute(dialect.createLedger(run.ledger()));
    } catch (SQLException e) {
      throw SqlErrors.wrap(
              "preparing staging table " + run.staging() + " in " + target.describe(),
              e,
              ExitCode.LOAD_FAILED)
          .withRun(run.runId())
          .withLoad(run.loadName());
    }
  }

  /**
   * True when the run's ledger exists, i.e. preparation finished and batches may have committed.
   */
  static boolean isPrepared(RunContext run, ConnectionSpec target) {
    Dialect dialect = Dialect.forUrl(target.url());
    try (Connection c = Connections.open(target, "target")) {
      return dialect.resolve(c, run.ledger()).isPresent();
    } catch (SQLException e) {
      throw SqlErrors.wrap(
              "looking for the ledger " + run.ledger() + " in " + target.describe(),
              e,
              ExitCode.LOAD_FAILED)
          .withRun(run.runId())
          .withLoad(run.loadName());
    }
  }
}

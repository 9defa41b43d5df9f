package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.RunPlanner;
import io.metaload.metadata.store.RunContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates what a run writes into: the target table if it does not exist (from the source's
 * columns through the dialect's type mapping, with the source's primary key), the run's staging
 * table shaped like the target, and the batch ledger.
 */
final class TargetPreparer {
  private TargetPreparer() {}

  static void prepare(RunContext run, ConnectionSpec target) {
    LoadPlan plan = run.plan();
    Dialect dialect = Dialect.forUrl(target.url());
    try (Connection c = RunPlanner.open(target, "target"); Statement s = c.createStatement()) {
      if (!plan.targetExists()) {
        s.execute(dialect.createTable(plan.target(), plan.targetSchema()));
      }
      for (String sql : dialect.createStaging(c, plan.target(), plan.targetSchema(), run.staging())) {
        s.execute(sql);
      }
      s.execute(dialect.createLedger(run.ledger()));
    } catch (SQLException e) {
      throw SqlErrors.wrap("preparing staging table " + run.staging() + " in " + target.describe(), e, ExitCode.LOAD_FAILED)
          .withRun(run.runId()).withLoad(run.loadName());
    }
  }
}

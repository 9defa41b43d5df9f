package io.metaload.transforms.write;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.Connections;
import io.metaload.metadata.config.RetryPolicy;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.plan.JdbcTargetCatalog;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.TargetCatalog;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.store.BatchRecord;
import io.metaload.metadata.store.RejectRecord;
import io.metaload.metadata.store.RejectsJson;
import io.metaload.metadata.store.RunContext;
import io.metaload.transforms.read.CopyPassThrough;
import io.metaload.transforms.target.PublicationSettings;
import io.metaload.transforms.target.RunPublication;
import io.metaload.transforms.target.Target;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A relational database as a run's target: the run's rows go to a staging table shaped like the
 * target, each batch's ledger row beside them in the same transaction ({@link WriteBatchesFn}), and
 * the publication log ({@link PublicationLog}) beside the target table records what was published.
 *
 * <p>Preparing creates the target table if it does not exist (from the source's columns through the
 * dialect's type mapping, with the source's primary key), the publication log, the staging table
 * (without keys for a delta window, which is merged rather than swapped) and last the ledger. The
 * ledger's existence marks a prepared run: without it no batch can have committed, so preparing
 * again after a kill drops a half-made staging table and starts over.
 */
final class JdbcTarget implements Target {
  private final ConnectionSpec connection;
  private final Dialect dialect;

  JdbcTarget(ConnectionSpec connection) {
    this.connection = connection;
    this.dialect = Dialect.forUrl(connection.url());
  }

  @Override
  public TargetCatalog catalog() {
    return new JdbcTargetCatalog(connection);
  }

  @Override
  public PublicationState publicationState(TableRef table, String runUid) {
    try (Connection c = Connections.open(connection, "target")) {
      PublicationLog.State state = PublicationLog.beside(dialect, table).state(c, table, runUid);
      return switch (state) {
        case NONE -> PublicationState.NONE;
        case SWAPPING -> PublicationState.STARTED;
        case PUBLISHED -> PublicationState.PUBLISHED;
      };
    } catch (SQLException e) {
      throw SqlErrors.wrap(
          "reading the publication log beside " + table + " in " + connection.describe(),
          e,
          ExitCode.LOAD_FAILED);
    }
  }

  @Override
  public void prepare(RunContext run) {
    LoadPlan plan = run.plan();
    try (Connection c = Connections.open(connection, "target");
        Statement s = c.createStatement()) {
      if (dialect.catalog().resolve(c, plan.target()).isEmpty()) {
        s.execute(dialect.target().createTable(plan.target(), plan.targetSchema()));
      }
      PublicationLog.beside(dialect, plan.target()).createIfMissing(c);
      s.execute(dialect.target().dropTableIfExists(run.staging()));
      boolean window = plan.window() != null && plan.window().reads();
      for (String sql :
          window
              ? dialect
                  .target()
                  .createPlainStaging(c, plan.target(), plan.targetSchema(), run.staging())
              : dialect
                  .target()
                  .createStaging(c, plan.target(), plan.targetSchema(), run.staging())) {
        s.execute(sql);
      }
      PausePoints.reach("staging-created");
      s.execute(dialect.target().createLedger(run.ledger()));
    } catch (SQLException e) {
      throw SqlErrors.wrap(
              "preparing staging table " + run.staging() + " in " + connection.describe(),
              e,
              ExitCode.LOAD_FAILED)
          .withRun(run.runId())
          .withLoad(run.loadName());
    }
  }

  @Override
  public boolean isPrepared(RunContext run) {
    try (Connection c = Connections.open(connection, "target")) {
      return dialect.catalog().resolve(c, run.ledger()).isPresent();
    } catch (SQLException e) {
      throw SqlErrors.wrap(
              "looking for the ledger " + run.ledger() + " in " + connection.describe(),
              e,
              ExitCode.LOAD_FAILED)
          .withRun(run.runId())
          .withLoad(run.loadName());
    }
  }

  @Override
  public List<BatchRecord> committedBatches(RunContext run, int attempt) {
    try (Connection c = Connections.open(connection, "target")) {
      if (dialect.catalog().resolve(c, run.staging()).isEmpty()) {
        throw new MetaloadException(
                ExitCode.LOAD_FAILED,
                "run "
                    + run.runId()
                    + " cannot be resumed: its ledger "
                    + run.ledger()
                    + " exists but its staging table "
                    + run.staging()
                    + " is gone from "
                    + connection.describe()
                    + " (an abandon that was interrupted?); abandon the run and start a new one")
            .withRun(run.runId())
            .withLoad(run.loadName());
      }
      List<BatchRecord> out = new ArrayList<>();
      boolean withRejects =
          dialect
              .catalog()
              .readSchema(c, run.ledger())
              .map(s -> s.column("rejects").isPresent())
              .orElse(false);
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT batch_id, partition_id, key_first, key_last, rows_read, rows_written"
                      + (withRejects ? ", rejects" : "")
                      + " FROM "
                      + dialect.qualified(run.ledger()));
          ResultSet rs = ps.executeQuery()) {
        long now = System.currentTimeMillis();
        while (rs.next()) {
          List<RejectRecord> rejects =
              withRejects
                  ? RejectsJson.read(
                      rs.getString(7), run.runId(), run.loadName(), rs.getInt(2), rs.getString(1))
                  : List.of();
          out.add(
              BatchRecord.of(
                      run.runId(),
                      run.loadName(),
                      rs.getString(1),
                      rs.getInt(2),
                      rs.getLong(3),
                      rs.getLong(4),
                      rs.getLong(5),
                      rs.getLong(6),
                      rejects.size(),
                      now,
                      now,
                      attempt,
                      0)
                  .withRejects(rejects));
        }
      }
      return out;
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading the ledger of run " + run.runId(), e, ExitCode.LOAD_FAILED)
          .withRun(run.runId())
          .withLoad(run.loadName());
    }
  }

  @Override
  public Optional<Map<Integer, long[]>> committedByPartition(RunContext run) {
    try (Connection c = Connections.open(connection, "target")) {
      if (dialect.catalog().resolve(c, run.ledger()).isEmpty()) {
        return Optional.empty();
      }
      Map<Integer, long[]> out = new HashMap<>();
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT partition_id, COUNT(*), COALESCE(SUM(rows_written), 0), "
                      + "COALESCE(SUM(rows_read), 0) FROM "
                      + dialect.qualified(run.ledger())
                      + " GROUP BY partition_id")) {
        while (rs.next()) {
          out.put(rs.getInt(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
        }
      }
      return Optional.of(out);
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading the ledger " + run.ledger(), e, ExitCode.LOAD_FAILED)
          .withRun(run.runId());
    }
  }

  @Override
  public WriteBatches write(RunContext run, int attempt, RetryPolicy retry) {
    return WriteBatches.create().to(StagingTarget.forRun(run, connection, attempt, retry));
  }

  @Override
  public Optional<String> whyNoCopyPassThrough(LoadPlan plan, Dialect source) {
    return CopyPassThrough.whyNot(plan, source, dialect);
  }

  @Override
  public RunPublication publication(RunContext run, PublicationSettings settings) {
    return new JdbcPublication(connection, dialect, run, settings);
  }

  @Override
  public void discardStaged(RunContext run) {
    try {
      drop(List.of(run.ledger()), run.runId());
    } catch (MetaloadException e) {
      throw e.withLoad(run.loadName());
    }
  }

  @Override
  public void drop(List<TableRef> leftovers, long runId) {
    try (Connection c = Connections.open(connection, "target");
        Statement s = c.createStatement()) {
      for (TableRef table : leftovers) {
        s.execute(dialect.target().dropTableIfExists(table));
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap(
              "dropping " + leftovers + " of run " + runId + " in " + connection.describe(),
              e,
              ExitCode.LOAD_FAILED)
          .withRun(runId);
    }
  }
}

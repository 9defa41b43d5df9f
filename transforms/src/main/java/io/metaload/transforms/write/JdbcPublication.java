package io.metaload.transforms.write;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.Connections;
import io.metaload.metadata.contract.ContractDefinition;
import io.metaload.metadata.contract.StagingChecks;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.model.WriteMode;
import io.metaload.metadata.plan.DeltaWindow;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.store.RunContext;
import io.metaload.transforms.target.PublicationEntry;
import io.metaload.transforms.target.PublicationFence;
import io.metaload.transforms.target.PublicationSettings;
import io.metaload.transforms.target.PublishedCount;
import io.metaload.transforms.target.RunPublication;
import io.metaload.transforms.target.Target.PublicationState;
import io.metaload.transforms.target.TargetLockedException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's publication into a relational database, on one connection: a full read's staging table is
 * swapped in ({@link SwapPublisher}), a delta window's is merged or replaces its window ({@link
 * WindowPublisher}), and either records the run in the {@link PublicationLog} in the same
 * transaction. Where the metadata store is the target's own database and DDL is transactional, the
 * fence is checked in the publication's transaction; otherwise the publication runs inside a store
 * transaction that holds it.
 */
final class JdbcPublication implements RunPublication {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcPublication.class);

  private final ConnectionSpec target;
  private final Dialect dialect;
  private final RunContext run;
  private final PublicationSettings settings;
  private final PublicationLog log;
  private final Connection c;
  private final boolean merges;

  JdbcPublication(
      ConnectionSpec target, Dialect dialect, RunContext run, PublicationSettings settings) {
    this.target = target;
    this.dialect = dialect;
    this.run = run;
    this.settings = settings;
    this.log = PublicationLog.beside(dialect, run.plan().target());
    DeltaWindow window = run.plan().window();
    this.merges = window != null && window.reads();
    Connection opened = null;
    try {
      opened = Connections.open(target, "target");
      log.createIfMissing(opened);
    } catch (SQLException e) {
      closeQuietly(opened);
      throw failed("opening the publication log beside " + run.plan().target(), e);
    }
    this.c = opened;
  }

  @Override
  public PublicationState state() {
    try {
      return switch (log.state(c, run.plan().target(), run.runUid())) {
        case NONE -> PublicationState.NONE;
        case SWAPPING -> PublicationState.STARTED;
        case PUBLISHED -> PublicationState.PUBLISHED;
      };
    } catch (SQLException e) {
      throw failed("reading the publication log beside " + run.plan().target(), e);
    }
  }

  @Override
  public long rowsPublished() {
    try {
      return log.rowsPublished(c, run.plan().target(), run.runUid());
    } catch (SQLException e) {
      throw failed("reading the publication log beside " + run.plan().target(), e);
    }
  }

  @Override
  public long stagedRows() {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + dialect.qualified(run.staging()))) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw failed("counting the rows of " + run.staging(), e);
    }
  }

  @Override
  public List<StagingChecks.Result> checkContract(ContractDefinition contract) {
    try {
      return new StagingChecks(c, dialect, run.staging(), run.plan().targetSchema()).run(contract);
    } catch (SQLException e) {
      throw failed("checking the contract on " + run.staging(), e);
    }
  }

  /**
   * Builds what a swapped staging table lacks (its primary key) in one transaction where DDL is
   * transactional; a merged window's staging keeps no key.
   */
  @Override
  public void completeStaging() {
    if (merges) {
      return;
    }
    try {
      List<String> statements =
          dialect.target().completeStaging(c, run.staging(), run.plan().targetSchema());
      if (statements.isEmpty()) {
        return;
      }
      c.setAutoCommit(!dialect.target().transactionalDdl());
      try (Statement s = c.createStatement()) {
        for (String sql : statements) {
          s.execute(sql);
        }
        PausePoints.reach("during-key-build");
        if (dialect.target().transactionalDdl()) {
          c.commit();
        }
      } catch (SQLException | RuntimeException e) {
        if (dialect.target().transactionalDdl()) {
          c.rollback();
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failed("building the key of " + run.staging(), e);
    }
  }

  @Override
  public List<PublishedCount> publish(PublicationEntry entry, PublicationFence fence) {
    try {
      if (dialect.target().transactionalDdl() && sharesDatabase(fence.store(), target)) {
        return publish(entry, inTransaction(fence));
      }
      return fence.holding(() -> publish(entry, SwapPublisher.Fence.none()));
    } catch (SQLException e) {
      if (dialect.target().isLockTimeout(e)) {
        throw new TargetLockedException(
            "other sessions kept locks on " + run.plan().target() + ": " + e.getMessage(), e);
      }
      throw failed("publishing " + run.staging() + " into " + run.plan().target(), e);
    }
  }

  private List<PublishedCount> publish(PublicationEntry entry, SwapPublisher.Fence fence)
      throws SQLException {
    PublicationLog.State state = log.state(c, run.plan().target(), run.runUid());
    if (state == PublicationLog.State.PUBLISHED) {
      return List.of();
    }
    if (!merges) {
      new SwapPublisher(dialect, log, settings.lockWaitMillis())
          .publish(c, state, entry, retired(run), fence);
      return List.of();
    }
    return merge(entry, fence);
  }

  private List<PublishedCount> merge(PublicationEntry entry, SwapPublisher.Fence fence)
      throws SQLException {
    LoadPlan plan = run.plan();
    DeltaWindow window = plan.window();
    String column = plan.targetColumnFor(window.column()).name();
    WindowPublisher.Window replaced =
        plan.definition().writeMode() == WriteMode.REPLACE_WINDOW && !window.empty()
            ? replacedWindow(plan, column, window)
            : null;
    WindowPublisher.Counts counts;
    try (JdbcSourceRowsByKey rows =
        JdbcSourceRowsByKey.forRun(run, settings.source(), target, settings.retry()).orElse(null)) {
      if (replaced != null && rows == null) {
        LOG.warn(
            "run {}: the target's key {} is not the source's primary key carried through, so rows of window {} that were not "
                + "read again cannot be told apart: moved or deleted in the source, they are deleted from {}",
            run.runId(),
            plan.targetSchema().primaryKey(),
            window.describe(),
            plan.target());
      }
      counts =
          new WindowPublisher(dialect, log, settings.lockWaitMillis())
              .publish(
                  c,
                  entry,
                  plan.targetSchema(),
                  column,
                  replaced,
                  settings.keysStagedOnce(),
                  rows,
                  fence);
    }
    LOG.info(
        "run {}: merged window {} into {}: {}",
        run.runId(),
        window.describe(),
        plan.target(),
        counts);
    if (counts.movedBehind > counts.movedBehindRestaged) {
      LOG.warn(
          "run {}: {} rows of {} lay in window {} before this run, and their source rows now lie outside it, but {} of them could "
              + "not be read again (rejected by the flowgraph, or deleted meanwhile); they keep their previous version. First keys: {}",
          run.runId(),
          counts.movedBehind,
          plan.target(),
          window.describe(),
          counts.movedBehind - counts.movedBehindRestaged,
          counts.movedBehindKeys);
    }
    return List.of(
        PublishedCount.of("rows_moved_ahead_of_window", counts.movedAhead),
        PublishedCount.of(
            "rows_moved_behind_window", counts.movedBehind, counts.movedBehindRestaged),
        PublishedCount.of("keys_read_twice_restaged", counts.restagedDuplicates),
        PublishedCount.of(
            "staged_keys_present_after_merge",
            counts.staged - counts.superseded,
            counts.inserted + counts.updated),
        PublishedCount.of("rows_inserted", counts.inserted),
        PublishedCount.of("rows_updated", counts.updated),
        PublishedCount.of("rows_deleted", counts.deleted),
        PublishedCount.of("superseded_versions", counts.superseded));
  }

  /**
   * The target rows a window replaces: its range of the delta column, and of a list-partitioned
   * load only the listed values' rows.
   */
  private static WindowPublisher.Window replacedWindow(
      LoadPlan plan, String column, DeltaWindow window) {
    WindowPublisher.Window replaced =
        new WindowPublisher.Window(column, window.type(), window.low(), window.high());
    if (plan.definition().partitionStrategy() != PartitionStrategy.LIST) {
      return replaced;
    }
    return replaced.onlyWhere(
        plan.targetColumnFor(plan.partitionColumn().name()), plan.definition().partitionValues());
  }

  private static SwapPublisher.Fence inTransaction(PublicationFence fence) {
    return new SwapPublisher.Fence() {
      @Override
      public void check(Connection target) throws SQLException {
        fence.check(target);
      }

      @Override
      public void beforeCommit(Connection target) throws SQLException {
        fence.beforeCommit(target);
      }
    };
  }

  @Override
  public Optional<String> publishedWatermark() {
    try {
      return log.watermark(c, run.plan().target(), run.runUid());
    } catch (SQLException e) {
      throw failed("reading the publication log beside " + run.plan().target(), e);
    }
  }

  @Override
  public void cleanUp() {
    dropLeftover(merges ? run.staging() : retired(run));
    if (!merges) {
      dropLeftover(run.staging());
    }
    PausePoints.reach("during-cleanup");
    dropLeftover(run.ledger());
  }

  private void dropLeftover(TableRef leftover) {
    try (Statement s = c.createStatement()) {
      s.execute(dialect.target().dropTableIfExists(leftover));
    } catch (SQLException e) {
      LOG.warn(
          "run {}: target {} is published, but dropping {} failed (drop it by hand): {}",
          run.runId(),
          run.plan().target(),
          leftover,
          e.getMessage());
    }
  }

  @Override
  public void close() {
    closeQuietly(c);
  }

  /**
   * True when both specs are the same URL and user: one database, one schema path, so one
   * transaction can span them.
   */
  static boolean sharesDatabase(ConnectionSpec a, ConnectionSpec b) {
    return a.url().equals(b.url()) && a.user().equals(b.user());
  }

  /**
   * The name the old target takes during a swap: {@code <target>_ml_old_<run>_<uid>}, with the
   * first characters of the run's uid like staging's, so that a leftover of a run of an earlier
   * metadata store (whose run ids started again) never stands in its way.
   */
  static TableRef retired(RunContext run) {
    TableRef table = run.plan().target();
    String suffix =
        run.runUid() == null
            ? ""
            : "_" + run.runUid().substring(0, Math.min(6, run.runUid().length()));
    return table.withTable(Dialect.derivedName(table.table(), "_ml_old_" + run.runId() + suffix));
  }

  private MetaloadException failed(String what, SQLException e) {
    return SqlErrors.wrap(what + " in " + target.describe(), e, ExitCode.LOAD_FAILED)
        .withRun(run.runId())
        .withLoad(run.loadName());
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("closing the target connection failed", e);
    }
  }
}

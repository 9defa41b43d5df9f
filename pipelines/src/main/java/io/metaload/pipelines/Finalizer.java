package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.Connections;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.config.RetryPolicy;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.model.WriteMode;
import io.metaload.metadata.plan.DeltaWindow;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.PartitionPlan;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunContext;
import io.metaload.metadata.store.RunLock;
import io.metaload.metadata.store.RunRepository;
import io.metaload.metadata.store.RunStatus;
import io.metaload.transforms.write.JdbcSourceRowsByKey;
import io.metaload.transforms.write.PublicationEntry;
import io.metaload.transforms.write.PublicationLog;
import io.metaload.transforms.write.SwapPublisher;
import io.metaload.transforms.write.WindowPublisher;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Ends a run whose pipeline finished, in steps that each recognise they already happened, so a run
 * killed anywhere in finalize resumes to the same end:
 *
 * <ol>
 *   <li>validate ({@link RunValidation}): each partition's batches tile its key range, where the
 *       source was read in one snapshot its rows equal the rows written, and staging holds their
 *       sum (checks are re-recorded, not added);
 *   <li>complete staging, e.g. build the primary key (skipped when it exists);
 *   <li>publish, fenced: the load's lock row is locked and checked in the swap's own transaction
 *       (metadata store in the target database) or in a metadata transaction held across the swap,
 *       and the swap is recorded in the target's {@link PublicationLog} (skipped when the log says
 *       it committed);
 *   <li>drop the retired table and the ledger (each {@code IF EXISTS});
 *   <li>mark this attempt SUCCEEDED, unless the run moved on to another attempt.
 * </ol>
 *
 * On a mismatch the target is untouched and a {@link ExitCode#VALIDATION_MISMATCH} names the
 * partition and both counts.
 */
public final class Finalizer {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Finalizer.class);

  /** Partition id used for whole-run checks in {@code load_validation}. */
  static final int WHOLE_RUN = -1;

  private final MetadataStore store;
  private final RunRepository runs;

  private final RunValidation validation;
  private final long lockWaitMillis;
  private final RetryPolicy retry;

  public Finalizer(MetadataStore store) {
    this(store, MetaloadConfig.DEFAULT_PUBLISH_LOCK_TIMEOUT_MILLIS, RetryPolicy.defaults());
  }

  /**
   * A finalizer whose publication waits at most {@code lockWaitMillis} for the target's table locks
   * per attempt, and tries {@code retry.maxAttempts()} times before it fails.
   */
  public Finalizer(MetadataStore store, long lockWaitMillis, RetryPolicy retry) {
    this.store = store;
    this.runs = store.runs();
    this.validation = new RunValidation(store);
    this.lockWaitMillis = lockWaitMillis;
    this.retry = retry;
  }

  /** Returns the rows published. */
  public long finalizeRun(
      RunAttempt attempt, ConnectionSpec source, ConnectionSpec target, RunLock lock) {
    RunContext run = attempt.run();
    Dialect dialect = Dialect.forUrl(target.url());
    PublicationLog log = PublicationLog.beside(dialect, run.plan().target());
    long total;
    DeltaWindow window = run.plan().window();
    boolean merges = window != null && window.reads();
    try (Connection c = Connections.open(target, "target")) {
      log.createIfMissing(c);
      PublicationLog.State state = log.state(c, run.plan().target(), run.runUid());
      if (state == PublicationLog.State.NONE) {
        total = validation.validate(run, c, dialect, source);
        validation.checkContract(run, c, dialect);
        PausePoints.reach("before-key-build");
        if (!merges) {
          completeStaging(c, dialect, run);
        }
      } else {
        total = log.rowsPublished(c, run.plan().target(), run.runUid());
        LOG.info(
            "run {}: its publication was already {} by an earlier attempt; completing it",
            run.runId(),
            state);
        Map<Integer, Long> written = store.batches().rowsWrittenByPartition(run.runId());
        for (PartitionPlan p : run.plan().partitions()) {
          runs.finishPartition(
              run.runId(),
              p.partitionId(),
              written.getOrDefault(p.partitionId(), 0L),
              RunStatus.SUCCEEDED);
        }
      }
      TableRef retired = retired(run);
      if (state != PublicationLog.State.PUBLISHED) {
        PausePoints.reach("before-swap");
        publishFenced(c, dialect, log, state, attempt, lock, retired, total, source, target);
      }
      PausePoints.reach("after-swap");
      dropLeftover(c, dialect, run, merges ? run.staging() : retired);
      if (!merges) {
        dropLeftover(c, dialect, run, run.staging());
      }
      PausePoints.reach("during-cleanup");
      dropLeftover(c, dialect, run, run.ledger());
      if (window != null) {
        log.watermark(c, run.plan().target(), run.runUid())
            .ifPresent(w -> store.watermarks().recordWatermark(run.loadName(), w, run.runId()));
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap(
              "publishing " + run.staging() + " into " + run.plan().target(),
              e,
              ExitCode.LOAD_FAILED)
          .withRun(run.runId())
          .withLoad(run.loadName());
    }
    PausePoints.reach("before-status");
    if (!runs.finishAttempt(run.runId(), attempt.attempt(), RunStatus.SUCCEEDED, total, null)) {
      LOG.warn(
          "run {}: published, but the run has moved on to a later attempt; its status is left to that attempt",
          run.runId());
    }
    return total;
  }

  /**
   * Builds what staging lacks (e.g. the primary key) in one transaction where DDL is transactional.
   */
  private static void completeStaging(Connection c, Dialect dialect, RunContext run)
      throws SQLException {
    List<String> statements = dialect.completeStaging(c, run.staging(), run.plan().targetSchema());
    if (statements.isEmpty()) {
      return;
    }
    c.setAutoCommit(!dialect.transactionalDdl());
    try (Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
      PausePoints.reach("during-key-build");
      if (dialect.transactionalDdl()) {
        c.commit();
      }
    } catch (SQLException | RuntimeException e) {
      if (dialect.transactionalDdl()) {
        c.rollback();
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * Locks the load's lock row, checks that this launcher still holds it and that the run is still
   * at this attempt, then swaps; the row stays locked until the swap has committed, so a takeover
   * cannot slip in between. Where the metadata store is the target's own database and DDL is
   * transactional, the check runs in the swap's transaction; otherwise in a metadata transaction
   * held open across the swap.
   */
  private void publishFenced(
      Connection c,
      Dialect dialect,
      PublicationLog log,
      PublicationLog.State state,
      RunAttempt attempt,
      RunLock lock,
      TableRef retired,
      long total,
      ConnectionSpec source,
      ConnectionSpec target)
      throws SQLException {
    RunContext run = attempt.run();
    Publication publication =
        publication(dialect, log, attempt, retired, lock, total, source, target);
    SwapPublisher.Fence fence =
        new SwapPublisher.Fence() {
          @Override
          public void check(Connection conn) throws SQLException {
            lock.holdForPublication(conn);
            if (!RunRepository.claimPublication(
                conn, run.runId(), attempt.attempt(), lock.token())) {
              throw new MetaloadException(
                      ExitCode.LOAD_FAILED,
                      "run "
                          + run.runId()
                          + " was taken over by a later attempt; attempt "
                          + attempt.attempt()
                          + " publishes nothing")
                  .withRun(run.runId())
                  .withLoad(run.loadName());
            }
          }

          @Override
          public void beforeCommit(Connection conn) throws SQLException {
            lock.refresh(conn);
          }
        };
    boolean shared = dialect.transactionalDdl() && sharesDatabase(store.spec(), target);
    try {
      for (int tries = 1; ; tries++) {
        try {
          if (shared) {
            publication.publish(c, state, fence);
          } else {
            publishHoldingTheFence(c, publication, fence, state);
          }
          return;
        } catch (SQLException e) {
          if (!dialect.isLockTimeout(e)) {
            throw e;
          }
          if (tries >= retry.maxAttempts()) {
            throw new MetaloadException(
                    ExitCode.LOAD_FAILED,
                    "publishing "
                        + run.staging()
                        + " into "
                        + run.plan().target()
                        + ": other sessions kept locks on the target for "
                        + tries
                        + " attempts of "
                        + lockWaitMillis
                        + " ms (publish.lockTimeoutMillis)"
                        + "; nothing was published",
                    e)
                .withRun(run.runId())
                .withLoad(run.loadName());
          }
          long wait =
              Math.min(
                  retry.maxBackoffMillis(),
                  retry.initialBackoffMillis() << Math.min(20, tries - 1));
          LOG.warn(
              "run {}: the target {} is locked by other sessions (attempt {} of {}); trying again in {} ms",
              run.runId(),
              run.plan().target(),
              tries,
              retry.maxAttempts(),
              wait);
          lock.publicationEnded();
          sleep(wait);
          state = log.state(c, run.plan().target(), run.runUid());
        }
      }
    } finally {
      lock.publicationEnded();
    }
  }

  /** One way of publishing a run, run inside the fence. */
  private interface Publication {
    void publish(Connection c, PublicationLog.State state, SwapPublisher.Fence fence)
        throws SQLException;
  }

  /**
   * A full read is swapped in; a delta window is merged (or replaces its window). Either records
   * the watermark the run publishes, if any, in the same transaction as the rows.
   */
  private Publication publication(
      Dialect dialect,
      PublicationLog log,
      RunAttempt attempt,
      TableRef retired,
      RunLock lock,
      long total,
      ConnectionSpec source,
      ConnectionSpec target) {
    RunContext run = attempt.run();
    DeltaWindow window = run.plan().window();
    PublicationEntry entry =
        PublicationEntry.builder()
            .target(run.plan().target())
            .staging(run.staging())
            .runUid(run.runUid())
            .runId(run.runId())
            .loadName(run.loadName())
            .lockToken(lock.token())
            .rows(total)
            .watermark(window == null ? null : window.publishedWatermark())
            .deltaColumn(window == null ? null : window.column())
            .windowLow(window == null ? null : window.lowLiteral())
            .windowHigh(window == null ? null : window.highLiteral())
            .plannedFrom(window == null ? null : window.previousWatermark())
            .build();
    if (window == null || !window.reads()) {
      SwapPublisher swap = new SwapPublisher(dialect, log, lockWaitMillis);
      return (c, state, fence) -> swap.publish(c, state, entry, retired, fence);
    }
    WindowPublisher merge = new WindowPublisher(dialect, log, lockWaitMillis);
    String column = run.plan().targetColumnFor(window.column()).name();
    WindowPublisher.Window replaced =
        run.plan().definition().writeMode() == WriteMode.REPLACE_WINDOW && !window.empty()
            ? replacedWindow(run.plan(), column, window)
            : null;
    boolean keysStagedOnce =
        attempt.carriedRows() == 0
            && attempt.snapshotId() != null
            && run.plan().targetKeyIsSourceKey();
    return (c, state, fence) -> {
      if (state == PublicationLog.State.PUBLISHED) {
        return;
      }
      WindowPublisher.Counts counts;
      try (JdbcSourceRowsByKey rows =
          JdbcSourceRowsByKey.forRun(run, source, target, retry).orElse(null)) {
        if (replaced != null && rows == null) {
          LOG.warn(
              "run {}: the target's key {} is not the source's primary key carried through, so rows of window {} that were not "
                  + "read again cannot be told apart: moved or deleted in the source, they are deleted from {}",
              run.runId(),
              run.plan().targetSchema().primaryKey(),
              window.describe(),
              run.plan().target());
        }
        counts =
            merge.publish(
                c, entry, run.plan().targetSchema(), column, replaced, keysStagedOnce, rows, fence);
      }
      LOG.info(
          "run {}: merged window {} into {}: {}",
          run.runId(),
          window.describe(),
          run.plan().target(),
          counts);
      if (counts.movedBehind > counts.movedBehindRestaged) {
        LOG.warn(
            "run {}: {} rows of {} lay in window {} before this run, and their source rows now lie outside it, but {} of them could "
                + "not be read again (rejected by the flowgraph, or deleted meanwhile); they keep their previous version. First keys: {}",
            run.runId(),
            counts.movedBehind,
            run.plan().target(),
            window.describe(),
            counts.movedBehind - counts.movedBehindRestaged,
            counts.movedBehindKeys);
      }
      validation.recordMerge(run, counts);
    };
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

  private void publishHoldingTheFence(
      Connection c, Publication publication, SwapPublisher.Fence fence, PublicationLog.State state)
      throws SQLException {
    try (Connection meta = store.connection()) {
      meta.setAutoCommit(false);
      try {
        fence.check(meta);
        publication.publish(c, state, SwapPublisher.Fence.none());
        fence.beforeCommit(meta);
        meta.commit();
      } catch (SQLException | RuntimeException e) {
        meta.rollback();
        throw e;
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to publish", e);
    }
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
  private static TableRef retired(RunContext run) {
    TableRef target = run.plan().target();
    String suffix =
        run.runUid() == null
            ? ""
            : "_" + run.runUid().substring(0, Math.min(6, run.runUid().length()));
    return target.withTable(Dialect.derivedName(target.table(), "_ml_old_" + run.runId() + suffix));
  }

  private static void dropLeftover(
      Connection c, Dialect dialect, RunContext run, TableRef leftover) {
    try (Statement s = c.createStatement()) {
      s.execute(dialect.dropTableIfExists(leftover));
    } catch (SQLException e) {
      LOG.warn(
          "run {}: target {} is published, but dropping {} failed (drop it by hand): {}",
          run.runId(),
          run.plan().target(),
          leftover,
          e.getMessage());
    }
  }
}

package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.config.RetryPolicy;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.plan.DeltaWindow;
import io.metaload.metadata.plan.PartitionPlan;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunContext;
import io.metaload.metadata.store.RunLock;
import io.metaload.metadata.store.RunRepository;
import io.metaload.metadata.store.RunStatus;
import io.metaload.transforms.target.PublicationEntry;
import io.metaload.transforms.target.PublicationFence;
import io.metaload.transforms.target.PublicationSettings;
import io.metaload.transforms.target.PublishedCount;
import io.metaload.transforms.target.RunPublication;
import io.metaload.transforms.target.Target.PublicationState;
import io.metaload.transforms.target.TargetKinds;
import io.metaload.transforms.target.TargetLockedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a run whose pipeline finished, through its target's {@link RunPublication}, in steps that
 * each recognise they already happened, so a run killed anywhere in finalize resumes to the same
 * end:
 *
 * <ol>
 *   <li>validate ({@link RunValidation}): each partition's batches tile its key range, where the
 *       source was read in one snapshot its rows equal the rows written, and the target staged
 *       their sum; the load's contract holds on the staged rows (checks are re-recorded, not
 *       added);
 *   <li>complete staging, e.g. build the primary key (skipped when it exists);
 *   <li>publish, fenced ({@link PublicationFence}): the load's lock row is locked and checked while
 *       the publication commits, and the target records the run with its rows (skipped when it says
 *       the run is published); a target whose locks are held by others is tried again;
 *   <li>clean up what the run left in the target, and record the watermark it published;
 *   <li>mark this attempt SUCCEEDED, unless the run moved on to another attempt.
 * </ol>
 *
 * On a mismatch the target is untouched and a {@link ExitCode#VALIDATION_MISMATCH} names the
 * partition and both counts.
 */
public final class Finalizer {
  private static final Logger LOG = LoggerFactory.getLogger(Finalizer.class);

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
    DeltaWindow window = run.plan().window();
    boolean keysStagedOnce =
        attempt.carriedRows() == 0
            && attempt.snapshotId() != null
            && run.plan().targetKeyIsSourceKey();
    long total;
    try (RunPublication publication =
        TargetKinds.target(target)
            .publication(
                run, PublicationSettings.of(source, retry, lockWaitMillis, keysStagedOnce))) {
      PublicationState state = publication.state();
      if (state == PublicationState.NONE) {
        total = validation.validate(run, publication.stagedRows(), source);
        validation.checkContract(run, publication);
        PausePoints.reach("before-key-build");
        publication.completeStaging();
      } else {
        total = publication.rowsPublished();
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
      if (state != PublicationState.PUBLISHED) {
        PausePoints.reach("before-swap");
        publishFenced(publication, attempt, lock, total);
      }
      PausePoints.reach("after-swap");
      publication.cleanUp();
      if (window != null) {
        publication
            .publishedWatermark()
            .ifPresent(w -> store.watermarks().recordWatermark(run.loadName(), w, run.runId()));
      }
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
   * Publishes inside the fence, trying again while other sessions keep the target locked; the lock
   * row is released between attempts so that a waiting takeover is not blocked by the wait.
   */
  private void publishFenced(
      RunPublication publication, RunAttempt attempt, RunLock lock, long total) {
    RunContext run = attempt.run();
    PublicationEntry entry = entry(run, lock, total);
    PublicationFence fence = new LockFence(attempt, lock);
    try {
      for (int tries = 1; ; tries++) {
        try {
          List<PublishedCount> counts = publication.publish(entry, fence);
          for (PublishedCount count : counts) {
            store
                .validations()
                .recordValidation(
                    run.runId(), WHOLE_RUN, count.name(), count.expected(), count.actual());
          }
          return;
        } catch (TargetLockedException e) {
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
        }
      }
    } finally {
      lock.publicationEnded();
    }
  }

  private static PublicationEntry entry(RunContext run, RunLock lock, long total) {
    DeltaWindow window = run.plan().window();
    return PublicationEntry.builder()
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
  }

  /**
   * The load's lock row, locked and checked to be this launcher's, and the run still at this
   * attempt; the row stays locked until the publication has committed, so a takeover cannot slip in
   * between.
   */
  private final class LockFence implements PublicationFence {
    private final RunAttempt attempt;
    private final RunLock lock;

    LockFence(RunAttempt attempt, RunLock lock) {
      this.attempt = attempt;
      this.lock = lock;
    }

    @Override
    public ConnectionSpec store() {
      return store.spec();
    }

    @Override
    public void check(Connection c) throws SQLException {
      RunContext run = attempt.run();
      lock.holdForPublication(c);
      if (!RunRepository.claimPublication(c, run.runId(), attempt.attempt(), lock.token())) {
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
    public void beforeCommit(Connection c) throws SQLException {
      lock.refresh(c);
    }

    @Override
    public <T> T holding(Fenced<T> publication) throws SQLException {
      try (Connection meta = store.connection()) {
        meta.setAutoCommit(false);
        try {
          check(meta);
          T result = publication.run();
          beforeCommit(meta);
          meta.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          meta.rollback();
          throw e;
        }
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
}

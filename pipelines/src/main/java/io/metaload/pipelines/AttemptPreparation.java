package io.metaload.pipelines;

import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.model.RunParameters;
import io.metaload.metadata.plan.DeltaWindow;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.ReadUnit;
import io.metaload.metadata.plan.SourceSnapshot;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunContext;
import io.metaload.metadata.store.RunLock;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunRepository;
import io.metaload.transforms.target.TargetKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the attempts a command's pipeline reads and records them in the metadata store: a new run
 * for each plan, with its source snapshot and its staging prepared; the next attempt of each run to
 * resume; and each attempt's read units.
 */
final class AttemptPreparation {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptPreparation.class);

  private final MetadataStore store;
  private final RunRepository runs;
  private final MetaloadConfig config;
  private final RunParameters params;
  private final Map<String, RunLock> locks;
  private final SourceSnapshots snapshots;
  private final FailureRecorder failures;

  AttemptPreparation(
      MetadataStore store,
      RunRepository runs,
      MetaloadConfig config,
      RunParameters params,
      Map<String, RunLock> locks,
      SourceSnapshots snapshots,
      FailureRecorder failures) {
    this.store = store;
    this.runs = runs;
    this.config = config;
    this.params = params;
    this.locks = locks;
    this.snapshots = snapshots;
    this.failures = failures;
  }

  /**
   * Records a new run of each plan on {@code runner}, assigned to its load's lock, and prepares its
   * staging: the run's first attempt, its read units sized for {@code workers}.
   */
  List<RunAttempt> recordNew(
      List<LoadPlan> plans, List<SourceSnapshot> planSnapshots, String runner, int workers) {
    List<RunAttempt> attempts = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      LoadPlan plan = plans.get(i);
      RunContext run = runs.start(plan, runner, params.toJson());
      failures.attempting(run.runId(), run.loadName(), 1);
      locks.get(run.loadName()).assign(run.runId());
      SourceSnapshot snapshot = planSnapshots.get(i);
      if (snapshot != null) {
        runs.recordSnapshot(run.runId(), snapshot.id());
      }
      PausePoints.reach("after-run-row");
      TargetKinds.target(RunConnections.target(config, run)).prepare(run);
      attempts.add(
          RunAttempt.of(
              run, 1, run.readUnits(workers), 0, snapshot == null ? null : snapshot.id()));
    }
    return attempts;
  }

  /** Prepares the next attempt of each run to resume ({@link Resumer}). */
  List<RunAttempt> prepareResumed(List<RunQueries.RunSummary> toResume, int workers) {
    List<RunAttempt> attempts = new ArrayList<>();
    Resumer resumer = new Resumer(store);
    for (RunQueries.RunSummary summary : toResume) {
      failures.attempting(summary.runId, summary.loadName, summary.attempt);
      RunContext run = runs.context(summary.runId);
      if (run.plan().window() != null && run.plan().window().kind() == DeltaWindow.Kind.BACKFILL) {
        LOG.warn(
            "load '{}': resuming run {}, a backfill of {} (parameters {}), not the regular window; the regular window runs "
                + "with the next command that does not resume it",
            summary.loadName,
            summary.runId,
            run.plan().window().describe(),
            summary.params);
      }
      RunAttempt attempt =
          resumer.prepare(
              run,
              RunConnections.source(config, run),
              RunConnections.target(config, run),
              summary.attempt,
              workers,
              () -> snapshots.export(run.plan().definition().sourceConnection()));
      failures.movedOn(summary.runId, attempt.attempt());
      if (attempt.snapshotId() != null) {
        runs.recordSnapshot(run.runId(), attempt.snapshotId());
      }
      attempts.add(attempt);
    }
    return attempts;
  }

  /** Logs what {@code attempt} reads and records its read units. */
  void recordReadUnits(RunAttempt attempt) {
    RunContext run = attempt.run();
    LOG.info(
        "run {} attempt {} of load '{}': {} source rows in {} partition(s), {} read unit(s), {} rows carried over, staging {}{}",
        run.runId(),
        attempt.attempt(),
        run.loadName(),
        run.plan().sourceRows(),
        run.plan().partitions().size(),
        attempt.units().size(),
        attempt.carriedRows(),
        run.staging(),
        attempt.snapshotId() == null ? "" : ", source snapshot " + attempt.snapshotId());
    runs.setReadUnits(run.runId(), unitsByPartition(attempt.units()));
    store.readUnits().recordReadUnits(run.runId(), attempt.attempt(), attempt.units());
  }

  private static Map<Integer, Integer> unitsByPartition(List<ReadUnit> units) {
    Map<Integer, Integer> out = new TreeMap<>();
    units.forEach(u -> out.merge(u.partitionId(), 1, Integer::sum));
    return out;
  }
}

package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.contract.ContractConformance;
import io.metaload.metadata.contract.ContractDefinition;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.RunParameters;
import io.metaload.metadata.plan.DeltaWindow;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.ReadUnit;
import io.metaload.metadata.plan.RunPlanner;
import io.metaload.metadata.plan.SourceSnapshot;
import io.metaload.metadata.plan.WatermarkFence;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunContext;
import io.metaload.metadata.store.RunLock;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunRepository;
import io.metaload.metadata.store.RunStatus;
import io.metaload.pipelines.flink.ClusterSubmission;
import io.metaload.pipelines.metrics.MetricsEndpoint;
import io.metaload.transforms.flowgraph.Flowgraphs;
import io.metaload.transforms.target.TargetKinds;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs loads end to end: lock each load; plan it in a source snapshot where the source can export
 * one (nothing is written if any plan fails), or pick up its unfinished run; prepare staging, run
 * the pipeline while a heartbeat keeps the locks alive, then validate and publish each run. Every
 * run that fails is marked FAILED with its message and the next step to take.
 *
 * <pre>{@code
 * List<RunReport> reports = new LoadRunner(config).run(List.of("orders"), options, Resume.no());
 * }</pre>
 */
public final class LoadRunner {
  private static final Logger LOG = LoggerFactory.getLogger(LoadRunner.class);

  /**
   * New runs that read at most this many rows in all run on the Direct runner in the launcher's JVM
   * when the embedded Flink runner is only the default: starting a local Flink cluster costs
   * seconds, more than a small delta window takes to read.
   */
  public static final long SMALL_RUN_ROWS = 1_000_000;

  /**
   * The plan with the load's latest contract, after checking that the contract still matches the
   * target's columns (exit 2 if not).
   */
  public static LoadPlan withContract(MetadataStore store, LoadPlan plan) {
    Optional<ContractDefinition> contract = store.contracts().latest(plan.definition().name());
    if (contract.isEmpty()) {
      return plan;
    }
    ContractConformance.check(contract.get(), plan.targetSchema());
    return plan.withContract(contract.get());
  }

  /** How often a run logs its progress unless told otherwise. */
  public static final Duration DEFAULT_PROGRESS_EVERY = Duration.ofSeconds(30);

  private final MetaloadConfig config;
  private final long smallRunRows;
  private final Duration progressEvery;
  private final MetricsEndpoint metrics;
  @Nullable private final Consumer<MetaloadException> slaStop;

  public LoadRunner(MetaloadConfig config) {
    this(config, 0, DEFAULT_PROGRESS_EVERY, MetricsEndpoint.none(), null);
  }

  private LoadRunner(
      MetaloadConfig config,
      long smallRunRows,
      Duration progressEvery,
      MetricsEndpoint metrics,
      @Nullable Consumer<MetaloadException> slaStop) {
    this.config = config;
    this.smallRunRows = smallRunRows;
    this.progressEvery = progressEvery;
    this.metrics = metrics;
    this.slaStop = slaStop;
  }

  /**
   * A runner that starts new runs reading at most {@code rows} rows in all on the Direct runner, in
   * this JVM.
   */
  public LoadRunner smallRunsInProcess(long rows) {
    return new LoadRunner(config, rows, progressEvery, metrics, slaStop);
  }

  /** A runner that logs each run's progress every {@code every} while it reads (zero: never). */
  public LoadRunner progressEvery(Duration every) {
    return new LoadRunner(config, smallRunRows, every, metrics, slaStop);
  }

  /** A runner that reports its runs on {@code endpoint} (the caller starts and closes it). */
  public LoadRunner reportingTo(MetricsEndpoint endpoint) {
    return new LoadRunner(config, smallRunRows, progressEvery, endpoint, slaStop);
  }

  /**
   * A runner that, when a load with {@code slaAction: fail} misses its SLA while its pipeline
   * reads, marks the command's runs FAILED (resumable) and hands the failure to {@code stop}, which
   * ends the process: the pipeline of an embedded runner cannot be cancelled from outside. Without
   * it a missed SLA is only logged and recorded.
   */
  public LoadRunner stoppingOnMissedSla(Consumer<MetaloadException> stop) {
    return new LoadRunner(config, smallRunRows, progressEvery, metrics, stop);
  }

  /** Whether to start new runs or continue unfinished ones. */
  public static final class Resume {
    final boolean enabled;
    final boolean startIfNone;
    final Long runId;

    private Resume(boolean enabled, boolean startIfNone, Long runId) {
      this.enabled = enabled;
      this.startIfNone = startIfNone;
      this.runId = runId;
    }

    /** Start new runs; a load whose last run is unfinished is refused with exit code 5. */
    public static Resume no() {
      return new Resume(false, false, null);
    }

    /**
     * Continue the newest unfinished run of each load, or the run given; a load without one is
     * refused.
     */
    public static Resume latestOr(Long runId) {
      return new Resume(true, false, runId);
    }

    /**
     * Continue each load's unfinished run if it has one, else start a new run: for orchestrators
     * that retry a task.
     */
    public static Resume auto() {
      return new Resume(true, true, null);
    }
  }

  public List<RunReport> run(List<String> loadNames, PipelineOptions options) {
    return run(loadNames, options, Resume.no());
  }

  public List<RunReport> run(List<String> loadNames, PipelineOptions options, Resume resume) {
    return run(loadNames, options, resume, RunParameters.none());
  }

  /**
   * Runs loads with {@code --param} values substituted into their definitions. With a resume the
   * stored plan already holds the values a run started with; parameters given then must equal
   * those, or the command is refused.
   */
  public List<RunReport> run(
      List<String> loadNames, PipelineOptions options, Resume resume, RunParameters params) {
    return run(loadNames, () -> options, resume, params);
  }

  /**
   * As {@link #run(List, PipelineOptions, Resume, RunParameters)}, with options that may still be
   * in the making: they are first needed once the runs are planned.
   */
  public List<RunReport> run(
      List<String> loadNames,
      Supplier<PipelineOptions> options,
      Resume resume,
      RunParameters params) {
    if (resume.runId != null && loadNames.size() != 1) {
      throw MetaloadException.badConfig("--run names one run, so give exactly one --load");
    }
    try (MetadataStore store = MetadataStore.open(config.metadata())) {
      Map<String, RunLock> locks = new LinkedHashMap<>();
      List<RunLock> heartbeatLocks = new CopyOnWriteArrayList<>();
      List<SourceSnapshot> snapshots = new CopyOnWriteArrayList<>();
      Heartbeat heartbeat = Heartbeat.start(heartbeatLocks, snapshots);
      CountDownLatch settled = new CountDownLatch(1);
      try {
        return new Session(store, options, locks, heartbeatLocks, snapshots, params, settled)
            .run(loadNames, resume);
      } finally {
        heartbeat.close();
        snapshots.forEach(SourceSnapshot::close);
        for (RunLock lock : locks.values()) {
          try {
            lock.release();
          } catch (RuntimeException e) {
            LOG.warn(
                "releasing the lock of load '{}' failed; it expires {} s after the last heartbeat: {}",
                lock.loadName(),
                RunLock.STALE_AFTER.toSeconds(),
                e.getMessage());
          }
        }
        settled.countDown();
      }
    }
  }

  /** One command's runs, from locking to the last status update. */
  private final class Session {
    private final MetadataStore store;
    private final RunRepository runs;
    private final Supplier<PipelineOptions> options;
    private final Map<String, RunLock> locks;
    private final List<RunLock> heartbeatLocks;
    private final List<SourceSnapshot> snapshots;
    private final Map<Long, Integer> attemptOf = new LinkedHashMap<>();
    private final Map<Long, String> loadOf = new LinkedHashMap<>();
    private volatile boolean reading;

    /**
     * The loads' definitions as the metadata store holds them now (with this command's parameters
     * for new runs).
     */
    private final Map<String, LoadDefinition> definitions = new LinkedHashMap<>();

    private final RunParameters params;

    /** Counted down once the runs' outcome is recorded and their locks released. */
    private final CountDownLatch settled;

    Session(
        MetadataStore store,
        Supplier<PipelineOptions> options,
        Map<String, RunLock> locks,
        List<RunLock> heartbeatLocks,
        List<SourceSnapshot> snapshots,
        RunParameters params,
        CountDownLatch settled) {
      this.params = params;
      this.settled = settled;
      this.store = store;
      this.runs = store.runs();
      this.options = options;
      this.locks = locks;
      this.heartbeatLocks = heartbeatLocks;
      this.snapshots = snapshots;
    }

    List<RunReport> run(List<String> loadNames, Resume resume) {
      List<LoadPlan> plans = new ArrayList<>();
      List<SourceSnapshot> planSnapshots = new ArrayList<>();
      List<RunQueries.RunSummary> toResume = new ArrayList<>();
      boolean strictResume = resume.enabled && !resume.startIfNone;
      Set<String> used = new HashSet<>();
      for (String name : loadNames) {
        LoadDefinition definition = store.definitions().get(name);
        definitions.put(name, strictResume ? definition : params.apply(definition, used));
      }
      if (!strictResume) {
        params.checkAllUsed(used, loadNames);
      }
      for (String name : loadNames) {
        TargetKinds.target(config.connection(definitions.get(name).targetConnection()));
      }
      for (String name : loadNames) {
        LoadDefinition definition = definitions.get(name);
        RunLock lock = RunLock.acquire(store, name, 0);
        locks.put(name, lock);
        heartbeatLocks.add(lock);
        PausePoints.reach("after-lock");
        Optional<RunQueries.RunSummary> resumed =
            RunSelection.toResume(store, config, name, resume, params);
        if (resumed.isPresent()) {
          lock.assign(resumed.get().runId);
          toResume.add(resumed.get());
        } else {
          RunPlanner planner =
              new RunPlanner(
                  config,
                  true,
                  Flowgraphs.typing(store.flowgraphs()::get),
                  spec -> TargetKinds.target(spec).catalog());
          long planningStarted = System.nanoTime();
          WatermarkFence fence = planner.fenceFor(definition);
          SourceSnapshot snapshot = exportSnapshot(definition.sourceConnection());
          planSnapshots.add(snapshot);
          LoadPlan plan = withContract(store, planner.plan(definition, snapshot, fence, params));
          LOG.info(
              "load '{}': planned {} rows in {} partition(s) in {} s",
              name,
              plan.sourceRows(),
              plan.partitions().size(),
              String.format("%.2f", (System.nanoTime() - planningStarted) / 1e9));
          plan.warnings().forEach(w -> LOG.warn("load '{}': {}", name, w));
          if (plan.window() != null) {
            LOG.info(
                "load '{}': window {}; fence from the {}; watermark before this run: {}",
                name,
                plan.window().describe(),
                plan.window().fenceBasis(),
                plan.window().previousWatermark() == null
                    ? "none"
                    : plan.window().previousWatermark());
          }
          plans.add(plan);
        }
      }

      PipelineOptions chosen = options.get();
      int workers = RunnerOptions.workers(chosen);
      int budget = RunnerOptions.readerBudget(config, definitions.values());
      if (budget > 0) {
        if (workers > budget) {
          LOG.info(
              "a source connection allows at most {} reader connections: reading with parallelism {} instead of {}",
              budget,
              budget,
              workers);
          workers = budget;
        }
        RunnerOptions.limitParallelism(chosen, workers);
      }
      long rowsToRead = plans.stream().mapToLong(LoadPlan::sourceRows).sum();
      if (smallRunRows > 0
          && toResume.isEmpty()
          && !plans.isEmpty()
          && rowsToRead <= smallRunRows) {
        chosen = RunnerOptions.inProcess(workers);
        LOG.info(
            "{} rows to read: running in this JVM on the Direct runner (runs of at most {} rows do not start the embedded Flink "
                + "cluster; pass --runner=FlinkRunner to insist)",
            rowsToRead,
            smallRunRows);
      }
      return start(plans, planSnapshots, toResume, workers, chosen);
    }

    private List<RunReport> start(
        List<LoadPlan> plans,
        List<SourceSnapshot> planSnapshots,
        List<RunQueries.RunSummary> toResume,
        int workers,
        PipelineOptions options) {
      String runner = options.getRunner().getSimpleName();
      List<RunAttempt> attempts = new ArrayList<>();
      SlaWatch sla = null;
      long begin = System.nanoTime();
      try {
        for (int i = 0; i < plans.size(); i++) {
          LoadPlan plan = plans.get(i);
          RunContext run = runs.start(plan, runner, params.toJson());
          attemptOf.put(run.runId(), 1);
          loadOf.put(run.runId(), run.loadName());
          locks.get(run.loadName()).assign(run.runId());
          SourceSnapshot snapshot = planSnapshots.get(i);
          if (snapshot != null) {
            runs.recordSnapshot(run.runId(), snapshot.id());
          }
          PausePoints.reach("after-run-row");
          TargetKinds.target(target(run)).prepare(run);
          attempts.add(
              RunAttempt.of(
                  run, 1, run.readUnits(workers), 0, snapshot == null ? null : snapshot.id()));
        }
        cancelOrphanedJobs(options, toResume);
        Resumer resumer = new Resumer(store);
        for (RunQueries.RunSummary summary : toResume) {
          attemptOf.put(summary.runId, summary.attempt);
          loadOf.put(summary.runId, summary.loadName);
          RunContext run = runs.context(summary.runId);
          if (run.plan().window() != null
              && run.plan().window().kind() == DeltaWindow.Kind.BACKFILL) {
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
                  source(run),
                  target(run),
                  summary.attempt,
                  workers,
                  () -> exportSnapshot(run.plan().definition().sourceConnection()));
          attemptOf.put(summary.runId, attempt.attempt());
          if (attempt.snapshotId() != null) {
            runs.recordSnapshot(run.runId(), attempt.snapshotId());
          }
          attempts.add(attempt);
        }
        for (RunAttempt attempt : attempts) {
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
          metrics.track(
              run.runId(), run.loadName(), run.plan().sourceRows(), () -> ledgerCounts(attempt));
          metrics.trackProtocol(
              run.runId(),
              () -> {
                RunQueries.RunSummary summary = store.status().runs(run.runId(), 1).get(0);
                return new long[] {summary.retries, summary.bytes == null ? -1 : summary.bytes};
              });
          Instant windowEnd =
              run.plan().window() == null
                  ? null
                  : run.plan().window().highInstant(ZoneId.systemDefault());
          if (windowEnd != null) {
            metrics.trackWatermark(run.runId(), windowEnd);
          }
          if (currentDefinition(run).sla() != null) {
            metrics.trackSla(run.runId(), () -> runs.slaState(run.runId()));
          }
        }
        sla =
            SlaWatch.start(runs, attempts, a -> currentDefinition(a.run()), this::stopForMissedSla);
        reading = true;
        try (ProgressReporter progress =
            ProgressReporter.start(this::ledgerCounts, attempts, progressEvery)) {
          PipelineExecution.execute(config, options, attempts, settled);
        } finally {
          reading = false;
        }
        snapshots.forEach(SourceSnapshot::close);
      } catch (RuntimeException e) {
        MetaloadException failure = PipelineFailures.classify(e);
        if (attemptOf.size() == 1 && !failure.context().containsKey("run")) {
          long runId = attemptOf.keySet().iterator().next();
          failure.withRun(runId).withLoad(loadOf.get(runId));
        }
        MetaloadException reported =
            attemptOf.isEmpty() ? failure : NextStep.appendTo(failure, config);
        attemptOf.keySet().forEach(runId -> metrics.phase(runId, MetricsEndpoint.Phase.FAILED));
        attemptOf.keySet().forEach(runId -> markFailed(runId, reported));
        if (sla != null) {
          sla.close();
        }
        throw reported;
      }
      attempts.forEach(a -> metrics.phase(a.run().runId(), MetricsEndpoint.Phase.PUBLISHING));
      try {
        return finalizeAll(attempts, begin);
      } finally {
        if (sla != null) {
          sla.close();
        }
      }
    }

    /**
     * On a Flink cluster, cancels the jobs of the runs to resume that are still running: their
     * launcher was killed (this command holds the runs' locks). It happens before the ledgers are
     * read, so no batch commits between planning the new attempt and starting it.
     */
    private void cancelOrphanedJobs(PipelineOptions options, List<RunQueries.RunSummary> toResume) {
      if (toResume.isEmpty()) {
        return;
      }
      ClusterSubmission.of(options)
          .ifPresent(
              c -> {
                List<String> labels =
                    toResume.stream()
                        .map(r -> PipelineExecution.runLabel(r.loadName, r.runId))
                        .collect(Collectors.toList());
                c.cancelOrphans(labels)
                    .forEach(
                        orphan ->
                            LOG.warn(
                                "cancelled {} on the Flink cluster at {}: it went on writing for a run to "
                                    + "resume after its launcher was killed",
                                orphan,
                                c.master()));
              });
    }

    /**
     * The ledger's counts ({@link RunProgress#committed}) and, fifth, the rows the run rejected (by
     * a flowgraph step or refused by the target; a filter's dropped rows are not rejects) as the
     * protocol holds them so far; null before the run has a ledger.
     */
    private long[] ledgerCounts(RunAttempt attempt) {
      long[] ledger = RunProgress.committed(target(attempt.run()), attempt.run());
      if (ledger == null) {
        return null;
      }
      long[] counts = Arrays.copyOf(ledger, 5);
      counts[4] =
          store.batches().rowsRejectedByPartition(attempt.run().runId()).values().stream()
              .mapToLong(Long::longValue)
              .sum();
      return counts;
    }

    private SourceSnapshot exportSnapshot(String connection) {
      SourceSnapshot snapshot = SourceSnapshot.export(config.connection(connection)).orElse(null);
      if (snapshot != null) {
        snapshots.add(snapshot);
      }
      return snapshot;
    }

    private List<RunReport> finalizeAll(List<RunAttempt> attempts, long begin) {
      Finalizer finalizer = new Finalizer(store, config.publishLockTimeoutMillis(), config.retry());
      List<RunReport> reports = new ArrayList<>();
      List<MetaloadException> failures = new ArrayList<>();
      for (RunAttempt attempt : attempts) {
        RunContext run = attempt.run();
        try {
          long finalizeStart = System.nanoTime();
          long rows =
              finalizer.finalizeRun(attempt, source(run), target(run), locks.get(run.loadName()));
          LOG.info(
              "run {}: validated and published {} rows in {} s",
              run.runId(),
              rows,
              String.format("%.1f", (System.nanoTime() - finalizeStart) / 1e9));
          metrics.phase(run.runId(), MetricsEndpoint.Phase.SUCCEEDED);
          double seconds = (System.nanoTime() - begin) / 1e9;
          long batches = store.status().runs(run.runId(), 1).get(0).batches;
          reports.add(
              RunReport.of(
                  run.runId(),
                  run.loadName(),
                  attempt.attempt(),
                  rows,
                  attempt.carriedRows(),
                  run.plan().partitions().size(),
                  batches,
                  seconds));
        } catch (RuntimeException e) {
          MetaloadException failure = PipelineFailures.classify(e);
          if (!failure.context().containsKey("run")) {
            failure.withRun(run.runId()).withLoad(run.loadName());
          }
          failure = NextStep.appendTo(failure, config);
          markFailed(run.runId(), failure);
          metrics.phase(run.runId(), MetricsEndpoint.Phase.FAILED);
          LOG.error(
              "run {} of load '{}' failed in finalize: {}",
              run.runId(),
              run.loadName(),
              failure.getMessage());
          failures.add(failure);
        }
      }
      if (failures.size() == 1) {
        throw failures.get(0);
      }
      if (!failures.isEmpty()) {
        throw MultipleFailures.of(failures, attempts.size());
      }
      return reports;
    }

    /**
     * Marks this attempt of a run FAILED; a metadata store that cannot be reached is logged, not
     * thrown over the failure.
     */
    /**
     * The load's definition as it is now, with its contract's SLA when the definition sets none.
     */
    private LoadDefinition currentDefinition(RunContext run) {
      LoadDefinition d = definitions.getOrDefault(run.loadName(), run.plan().definition());
      ContractDefinition contract = run.plan().contract();
      return d.sla() == null && contract != null && contract.sla() != null
          ? d.toBuilder().sla(contract.sla()).build()
          : d;
    }

    /**
     * A load with {@code slaAction: fail} missed its SLA: while the pipeline reads, every run of
     * the command is marked FAILED and the stopper ends the process (resume continues from the
     * committed batches); once publication has begun it is left to finish.
     */
    private synchronized void stopForMissedSla(RunAttempt missed) {
      RunContext run = missed.run();
      String sla = currentDefinition(run).sla();
      if (!reading) {
        LOG.warn(
            "run {} of load '{}' missed its SLA of {} while publishing; the publication is not interrupted",
            run.runId(),
            run.loadName(),
            sla);
        return;
      }
      if (slaStop == null) {
        LOG.warn(
            "run {} of load '{}' missed its SLA of {}; slaAction 'fail' stops runs of the metaload command only",
            run.runId(),
            run.loadName(),
            sla);
        return;
      }
      MetaloadException failure =
          NextStep.appendTo(
              new MetaloadException(
                      ExitCode.LOAD_FAILED,
                      "run "
                          + run.runId()
                          + " of load '"
                          + run.loadName()
                          + "' missed its SLA of "
                          + sla
                          + " and was stopped (slaAction: fail)")
                  .withRun(run.runId())
                  .withLoad(run.loadName()),
              config);
      attemptOf
          .keySet()
          .forEach(
              runId -> {
                markFailed(runId, failure);
                metrics.phase(runId, MetricsEndpoint.Phase.FAILED);
              });
      slaStop.accept(failure);
    }

    private void markFailed(long runId, MetaloadException failure) {
      try {
        if (!runs.finishAttempt(
            runId,
            attemptOf.getOrDefault(runId, 1),
            RunStatus.FAILED,
            null,
            failure.getMessage())) {
          LOG.warn(
              "run {} has moved on to a later attempt; its status is left to that attempt", runId);
        }
      } catch (RuntimeException e) {
        LOG.error(
            "run {} failed ({}) and recording that failed too: {}",
            runId,
            failure.getMessage(),
            e.getMessage());
        failure.addSuppressed(e);
      }
    }

    private ConnectionSpec target(RunContext run) {
      return config.connection(run.plan().definition().targetConnection());
    }

    private ConnectionSpec source(RunContext run) {
      return config.connection(run.plan().definition().sourceConnection());
    }
  }

  private static Map<Integer, Integer> unitsByPartition(List<ReadUnit> units) {
    Map<Integer, Integer> out = new TreeMap<>();
    units.forEach(u -> out.merge(u.partitionId(), 1, Integer::sum));
    return out;
  }
}

package io.metaload.pipelines;

import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.contract.ContractConformance;
import io.metaload.metadata.contract.ContractDefinition;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.RunParameters;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.SourceSnapshot;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunLock;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunRepository;
import io.metaload.pipelines.metrics.MetricsEndpoint;
import io.metaload.transforms.target.TargetKinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
      SourceSnapshots snapshots = new SourceSnapshots(config);
      Heartbeat heartbeat = Heartbeat.start(heartbeatLocks, snapshots.exported());
      CountDownLatch settled = new CountDownLatch(1);
      try {
        return new Session(store, options, locks, heartbeatLocks, snapshots, params, settled)
            .run(loadNames, resume);
      } finally {
        heartbeat.close();
        snapshots.closeAll();
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
    private final SourceSnapshots snapshots;
    private final FailureRecorder failures;

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
        SourceSnapshots snapshots,
        RunParameters params,
        CountDownLatch settled) {
      this.params = params;
      this.settled = settled;
      this.store = store;
      this.runs = store.runs();
      this.failures = new FailureRecorder(runs, config);
      this.options = options;
      this.locks = locks;
      this.heartbeatLocks = heartbeatLocks;
      this.snapshots = snapshots;
    }

    List<RunReport> run(List<String> loadNames, Resume resume) {
      RunPlanning planning = new RunPlanning(store, config, params, snapshots);
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
          planning.plan(name, definition);
        }
      }
      List<LoadPlan> plans = planning.plans();

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
      return start(plans, planning.snapshots(), toResume, workers, chosen);
    }

    private List<RunReport> start(
        List<LoadPlan> plans,
        List<SourceSnapshot> planSnapshots,
        List<RunQueries.RunSummary> toResume,
        int workers,
        PipelineOptions options) {
      String runner = options.getRunner().getSimpleName();
      List<RunAttempt> attempts = new ArrayList<>();
      RunMonitor monitor =
          new RunMonitor(
              store, runs, config, metrics, progressEvery, slaStop, definitions, failures);
      long begin = System.nanoTime();
      try {
        AttemptPreparation preparation =
            new AttemptPreparation(store, runs, config, params, locks, snapshots, failures);
        attempts.addAll(preparation.recordNew(plans, planSnapshots, runner, workers));
        OrphanedJobs.cancel(options, toResume);
        attempts.addAll(preparation.prepareResumed(toResume, workers));
        for (RunAttempt attempt : attempts) {
          preparation.recordReadUnits(attempt);
          monitor.track(attempt);
        }
        monitor.watchSla(attempts);
        monitor.whileReading(
            attempts, () -> PipelineExecution.execute(config, options, attempts, settled));
        snapshots.closeAll();
      } catch (RuntimeException e) {
        MetaloadException reported = failures.reported(e);
        failures.runIds().forEach(runId -> metrics.phase(runId, MetricsEndpoint.Phase.FAILED));
        failures.runIds().forEach(runId -> failures.markFailed(runId, reported));
        monitor.close();
        throw reported;
      }
      attempts.forEach(a -> metrics.phase(a.run().runId(), MetricsEndpoint.Phase.PUBLISHING));
      try {
        return new RunFinalization(store, config, metrics, locks, failures)
            .finalizeAll(attempts, begin);
      } finally {
        monitor.close();
      }
    }
  }
}

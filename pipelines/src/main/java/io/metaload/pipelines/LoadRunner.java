package io.metaload.pipelines;

import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.ReadUnit;
import io.metaload.metadata.plan.RunPlanner;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunContext;
import io.metaload.metadata.store.RunLock;
import io.metaload.metadata.store.RunRepository;
import io.metaload.metadata.store.RunStatus;
import io.metaload.transforms.flowgraph.Flowgraphs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs loads end to end: lock each load, plan it (nothing is written if any plan fails) or,
 * with {@code resume}, pick up its unfinished run; prepare staging, run the pipeline while a
 * heartbeat keeps the locks alive, then validate and publish each run.
 *
 * <pre>{@code
 * List<RunReport> reports = new LoadRunner(config).run(List.of("orders"), options, Resume.no());
 * }</pre>
 */
public final class LoadRunner {
  private static final Logger LOG = LoggerFactory.getLogger(LoadRunner.class);

  private final MetaloadConfig config;

  public LoadRunner(MetaloadConfig config) {
    this.config = config;
  }

  /** Whether to start new runs or continue unfinished ones. */
  public static final class Resume {
    final boolean enabled;
    final Long runId;

    private Resume(boolean enabled, Long runId) {
      this.enabled = enabled;
      this.runId = runId;
    }

    public static Resume no() {
      return new Resume(false, null);
    }

    /** Continue the newest unfinished run of each load, or the run given. */
    public static Resume latestOr(Long runId) {
      return new Resume(true, runId);
    }
  }

  public List<RunReport> run(List<String> loadNames, PipelineOptions options) {
    return run(loadNames, options, Resume.no());
  }

  public List<RunReport> run(List<String> loadNames, PipelineOptions options, Resume resume) {
    if (resume.runId != null && loadNames.size() != 1) {
      throw MetaloadException.badConfig("--run names one run, so give exactly one --load");
    }
    try (MetadataStore store = MetadataStore.open(config.metadata())) {
      List<RunLock> locks = new java.util.concurrent.CopyOnWriteArrayList<>();
      ScheduledExecutorService heartbeat = startHeartbeat(locks);
      try {
        return runLocked(store, loadNames, options, resume, locks);
      } finally {
        heartbeat.shutdownNow();
        for (RunLock lock : locks) {
          try {
            lock.release();
          } catch (RuntimeException e) {
            LOG.warn("releasing the lock of load '{}' failed; it expires {} s after the last heartbeat: {}", lock.loadName(),
                RunLock.STALE_AFTER.toSeconds(), e.getMessage());
          }
        }
      }
    }
  }

  private List<RunReport> runLocked(MetadataStore store, List<String> loadNames, PipelineOptions options, Resume resume,
      List<RunLock> locks) {
    RunRepository runs = store.runs();
    int workers = workers(options);
    List<LoadPlan> plans = new ArrayList<>();
    List<RunContext> toResume = new ArrayList<>();
    List<Integer> previousAttempts = new ArrayList<>();
    for (String name : loadNames) {
      LoadDefinition definition = store.definitions().get(name);
      try {
        Flowgraphs.named(definition.flowgraph());
      } catch (MetaloadException e) {
        throw e.withLoad(name);
      }
      RunLock lock = RunLock.acquire(store, name, 0);
      locks.add(lock);
      Optional<RunRepository.RunSummary> latest = runs.latestRun(name);
      latest.filter(r -> r.status == RunStatus.RUNNING).ifPresent(r -> runs.finishRun(r.runId, RunStatus.FAILED, null,
          "its process stopped" + (r.heartbeatAt == null ? "" : ": no heartbeat since " + r.heartbeatAt)));
      Optional<RunRepository.RunSummary> unfinished = latest.filter(r -> r.status == RunStatus.RUNNING || r.status == RunStatus.FAILED);
      if (resume.enabled) {
        RunRepository.RunSummary target = resume.runId == null
            ? unfinished.orElseThrow(() -> MetaloadException.badConfig("load '" + name + "' has no unfinished run to resume").withLoad(name))
            : runs.runs(resume.runId, 1).stream().findFirst()
                .orElseThrow(() -> MetaloadException.badConfig("no run with id " + resume.runId).withRun(resume.runId));
        if (!target.loadName.equals(name) || !(target.status == RunStatus.RUNNING || target.status == RunStatus.FAILED)) {
          throw MetaloadException.badConfig("run " + target.runId + " is a " + target.status + " run of load '" + target.loadName
              + "' and cannot be resumed as load '" + name + "'").withRun(target.runId).withLoad(name);
        }
        lock.assign(target.runId);
        toResume.add(runs.context(target.runId));
        previousAttempts.add(target.attempt);
      } else {
        if (unfinished.isPresent()) {
          long id = unfinished.get().runId;
          throw new MetaloadException(ExitCode.RUN_CONFLICT, "load '" + name + "' has an unfinished run " + id + " (" + RunStatus.FAILED
              + "); resume it with 'metaload run --config " + config.file() + " --load " + name + " --resume' or abandon it with "
              + "'metaload abandon --config " + config.file() + " --run " + id + "'").withRun(id).withLoad(name);
        }
        plans.add(new RunPlanner(config).plan(definition));
      }
    }

    String runner = options.getRunner().getSimpleName();
    List<RunAttempt> attempts = new ArrayList<>();
    List<Long> started = new ArrayList<>();
    long begin = System.nanoTime();
    try {
      for (int i = 0; i < plans.size(); i++) {
        RunContext run = runs.start(plans.get(i), runner, null);
        started.add(run.runId());
        locks.get(i).assign(run.runId());
        attempts.add(RunAttempt.of(run, 1, run.readUnits(workers)));
      }
      Resumer resumer = new Resumer(store);
      for (int i = 0; i < toResume.size(); i++) {
        RunContext run = toResume.get(i);
        started.add(run.runId());
        attempts.add(resumer.prepare(run, config.connection(run.plan().definition().targetConnection()), previousAttempts.get(i), workers));
      }
      for (RunAttempt attempt : attempts) {
        RunContext run = attempt.run();
        LOG.info("run {} attempt {} of load '{}': {} source rows in {} partition(s), {} read unit(s), staging {}", run.runId(),
            attempt.attempt(), run.loadName(), run.plan().sourceRows(), run.plan().partitions().size(), attempt.units().size(), run.staging());
        if (attempt.attempt() == 1) {
          TargetPreparer.prepare(run, config.connection(run.plan().definition().targetConnection()));
        }
        runs.setReadUnits(run.runId(), unitsByPartition(attempt.units()));
      }
      execute(options, attempts);
      for (RunLock lock : locks) {
        if (lock.mayBeLost()) {
          throw new MetaloadException(ExitCode.LOAD_FAILED, "lost the lock of load '" + lock.loadName() + "' (no heartbeat reached the "
              + "metadata store for " + RunLock.STALE_AFTER.toSeconds() + " s, so another process may have taken it over); nothing was "
              + "published, resume the run").withLoad(lock.loadName());
        }
      }
    } catch (RuntimeException e) {
      MetaloadException failure = PipelineFailures.classify(e);
      for (long runId : started) {
        runs.finishRun(runId, RunStatus.FAILED, null, failure.getMessage());
      }
      if (started.size() == 1 && !failure.context().containsKey("run")) {
        failure.withRun(started.get(0)).withLoad(attempts.isEmpty() ? loadNames.get(0) : attempts.get(0).run().loadName());
      }
      throw failure;
    }
    return finalizeAll(runs, attempts, begin);
  }

  private List<RunReport> finalizeAll(RunRepository runs, List<RunAttempt> attempts, long begin) {
    Finalizer finalizer = new Finalizer(runs);
    List<RunReport> reports = new ArrayList<>();
    MetaloadException firstFailure = null;
    for (RunAttempt attempt : attempts) {
      RunContext run = attempt.run();
      try {
        long finalizeStart = System.nanoTime();
        long rows = finalizer.finalizeRun(run, config.connection(run.plan().definition().targetConnection()));
        LOG.info("run {}: validated and published {} rows in {} s", run.runId(), rows,
            String.format("%.1f", (System.nanoTime() - finalizeStart) / 1e9));
        double seconds = (System.nanoTime() - begin) / 1e9;
        long batches = runs.runs(run.runId(), 1).get(0).batches;
        reports.add(RunReport.of(run.runId(), run.loadName(), rows, run.plan().partitions().size(), batches, seconds));
      } catch (MetaloadException e) {
        if (firstFailure == null) {
          firstFailure = e;
        }
      }
    }
    if (firstFailure != null) {
      throw firstFailure;
    }
    return reports;
  }

  private static ScheduledExecutorService startHeartbeat(List<RunLock> locks) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "metaload-heartbeat");
      t.setDaemon(true);
      return t;
    });
    long every = RunLock.HEARTBEAT_EVERY.toMillis();
    executor.scheduleAtFixedRate(() -> {
      for (RunLock lock : locks) {
        try {
          lock.heartbeat();
        } catch (RuntimeException e) {
          LOG.warn("heartbeat failed: {}", e.getMessage());
        }
      }
    }, every, every, TimeUnit.MILLISECONDS);
    return executor;
  }

  private void execute(PipelineOptions options, List<RunAttempt> attempts) {
    if (attempts.stream().allMatch(a -> a.units().isEmpty())) {
      return;
    }
    long start = System.nanoTime();
    Pipeline pipeline = Pipeline.create(options);
    LoadPipeline.build(pipeline, config, attempts);
    PipelineResult.State state = pipeline.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pipeline ended in state " + state);
    }
    LOG.info("pipeline finished in {} s on {}", String.format("%.1f", (System.nanoTime() - start) / 1e9), options.getRunner().getSimpleName());
  }

  /** Parallelism the plan sizes read units for: Flink's setting, else the machine's cores. */
  static int workers(PipelineOptions options) {
    int parallelism = options.as(FlinkPipelineOptions.class).getParallelism();
    return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
  }

  private static Map<Integer, Integer> unitsByPartition(List<ReadUnit> units) {
    Map<Integer, Integer> out = new TreeMap<>();
    units.forEach(u -> out.merge(u.partitionId(), 1, Integer::sum));
    return out;
  }
}

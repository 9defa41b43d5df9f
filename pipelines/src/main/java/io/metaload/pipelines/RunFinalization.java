package io.metaload.pipelines;

import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunContext;
import io.metaload.metadata.store.RunLock;
import io.metaload.pipelines.metrics.MetricsEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finalizes each of a command's run attempts with the {@link Finalizer} once the pipeline finished:
 * a run that fails there is marked FAILED while the others go on, and the failures are thrown
 * together after the last run.
 */
final class RunFinalization {
  /**
   * LoadRunner's logger, not this class's: the publication line is documented (operations.md) and
   * tested (LogFormatIT) under that name.
   */
  private static final Logger LOG = LoggerFactory.getLogger(LoadRunner.class);

  private final MetadataStore store;
  private final MetaloadConfig config;
  private final MetricsEndpoint metrics;
  private final Map<String, RunLock> locks;
  private final FailureRecorder failures;

  RunFinalization(
      MetadataStore store,
      MetaloadConfig config,
      MetricsEndpoint metrics,
      Map<String, RunLock> locks,
      FailureRecorder failures) {
    this.store = store;
    this.config = config;
    this.metrics = metrics;
    this.locks = locks;
    this.failures = failures;
  }

  /**
   * Finalizes the attempts one after another and returns their reports, each run's seconds counted
   * from {@code begin} ({@link System#nanoTime}); the failures are thrown once every run was tried.
   */
  List<RunReport> finalizeAll(List<RunAttempt> attempts, long begin) {
    Finalizer finalizer = new Finalizer(store, config.publishLockTimeoutMillis(), config.retry());
    List<RunReport> reports = new ArrayList<>();
    List<MetaloadException> failed = new ArrayList<>();
    for (RunAttempt attempt : attempts) {
      RunContext run = attempt.run();
      try {
        long finalizeStart = System.nanoTime();
        long rows =
            finalizer.finalizeRun(
                attempt,
                RunConnections.source(config, run),
                RunConnections.target(config, run),
                locks.get(run.loadName()));
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
        failures.markFailed(run.runId(), failure);
        metrics.phase(run.runId(), MetricsEndpoint.Phase.FAILED);
        LOG.error(
            "run {} of load '{}' failed in finalize: {}",
            run.runId(),
            run.loadName(),
            failure.getMessage());
        failed.add(failure);
      }
    }
    if (failed.size() == 1) {
      throw failed.get(0);
    }
    if (!failed.isEmpty()) {
      throw MultipleFailures.of(failed, attempts.size());
    }
    return reports;
  }
}

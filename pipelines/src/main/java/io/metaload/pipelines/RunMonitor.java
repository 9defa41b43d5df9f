package io.metaload.pipelines;

import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.contract.ContractDefinition;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunContext;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunRepository;
import io.metaload.pipelines.metrics.MetricsEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a command's run attempts while they go: reports each on the metrics endpoint, watches the
 * SLAs of their loads ({@link SlaWatch}) and shows their progress while the pipeline reads ({@link
 * ProgressReporter}). Closing it stops the SLA watch.
 */
final class RunMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunMonitor.class);

  private final MetadataStore store;
  private final RunRepository runs;
  private final MetaloadConfig config;
  private final MetricsEndpoint metrics;
  private final Duration progressEvery;
  @Nullable private final Consumer<MetaloadException> slaStop;

  /** The loads' definitions as the metadata store holds them now, by load name. */
  private final Map<String, LoadDefinition> definitions;

  private final FailureRecorder failures;
  @Nullable private SlaWatch slaWatch;
  private volatile boolean reading;

  RunMonitor(
      MetadataStore store,
      RunRepository runs,
      MetaloadConfig config,
      MetricsEndpoint metrics,
      Duration progressEvery,
      @Nullable Consumer<MetaloadException> slaStop,
      Map<String, LoadDefinition> definitions,
      FailureRecorder failures) {
    this.store = store;
    this.runs = runs;
    this.config = config;
    this.metrics = metrics;
    this.progressEvery = progressEvery;
    this.slaStop = slaStop;
    this.definitions = definitions;
    this.failures = failures;
  }

  /**
   * Reports {@code attempt} on the metrics endpoint: its ledger's counts, its retries and bytes
   * written, its window's end, and its SLA state when its load has an SLA.
   */
  void track(RunAttempt attempt) {
    RunContext run = attempt.run();
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

  /** Starts watching the SLAs of the attempts' loads. */
  void watchSla(List<RunAttempt> attempts) {
    slaWatch =
        SlaWatch.start(runs, attempts, a -> currentDefinition(a.run()), this::stopForMissedSla);
  }

  /** Runs {@code pipeline}, which reads the attempts, and reports their progress meanwhile. */
  void whileReading(List<RunAttempt> attempts, Runnable pipeline) {
    reading = true;
    try (ProgressReporter progress =
        ProgressReporter.start(this::ledgerCounts, attempts, progressEvery)) {
      pipeline.run();
    } finally {
      reading = false;
    }
  }

  /**
   * The ledger's counts ({@link RunProgress#committed}) and, fifth, the rows the run rejected (by a
   * flowgraph step or refused by the target; a filter's dropped rows are not rejects) as the
   * protocol holds them so far; null before the run has a ledger.
   */
  private long[] ledgerCounts(RunAttempt attempt) {
    long[] ledger =
        RunProgress.committed(RunConnections.target(config, attempt.run()), attempt.run());
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

  /** The load's definition as it is now, with its contract's SLA when the definition sets none. */
  private LoadDefinition currentDefinition(RunContext run) {
    LoadDefinition d = definitions.getOrDefault(run.loadName(), run.plan().definition());
    ContractDefinition contract = run.plan().contract();
    return d.sla() == null && contract != null && contract.sla() != null
        ? d.toBuilder().sla(contract.sla()).build()
        : d;
  }

  /**
   * A load with {@code slaAction: fail} missed its SLA: while the pipeline reads, every run of the
   * command is marked FAILED and the stopper ends the process (resume continues from the committed
   * batches); once publication has begun it is left to finish.
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
    failures
        .runIds()
        .forEach(
            runId -> {
              failures.markFailed(runId, failure);
              metrics.phase(runId, MetricsEndpoint.Phase.FAILED);
            });
    slaStop.accept(failure);
  }

  @Override
  public void close() {
    if (slaWatch != null) {
      slaWatch.close();
    }
  }
}

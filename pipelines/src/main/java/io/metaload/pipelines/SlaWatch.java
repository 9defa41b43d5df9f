package io.metaload.pipelines;

import io.metaload.metadata.model.Durations;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.store.RunRepository;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the SLA of each run whose load has one ({@code sla: 4h}), counted from the start of this
 * attempt: at 80% it logs a warning and records {@code AT_RISK} on the run, at 100% {@code MISSED},
 * and for a load with {@code slaAction: fail} calls back to stop the run; {@code status --run}
 * shows the state. Closing it stops the watch.
 */
final class SlaWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SlaWatch.class);
  static final double AT_RISK = 0.8;

  private final ScheduledExecutorService executor;

  private SlaWatch(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /**
   * Starts watching, with each load's SLA as its definition says now (an operator may relax it
   * before resuming a stopped run); {@code missedWithFail} is called when a load with {@code
   * slaAction: fail} misses its SLA.
   */
  static SlaWatch start(
      RunRepository runs,
      List<RunAttempt> attempts,
      Function<RunAttempt, LoadDefinition> definitionOf,
      Consumer<RunAttempt> missedWithFail) {
    ScheduledExecutorService executor = null;
    for (RunAttempt attempt : attempts) {
      LoadDefinition definition = definitionOf.apply(attempt);
      String text = definition.sla();
      if (text == null) {
        continue;
      }
      if (executor == null) {
        executor =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "metaload-sla");
                  t.setDaemon(true);
                  return t;
                });
      }
      Duration sla = Durations.parse(text);
      long runId = attempt.run().runId();
      String load = attempt.run().loadName();
      executor.schedule(
          () ->
              mark(
                  runs,
                  runId,
                  "AT_RISK",
                  String.format(
                      "run %d of load '%s' has used %.0f%% of its SLA of %s",
                      runId, load, AT_RISK * 100, text)),
          (long) (sla.toMillis() * AT_RISK),
          TimeUnit.MILLISECONDS);
      boolean fail = definition.failsOnMissedSla();
      executor.schedule(
          () -> {
            mark(
                runs,
                runId,
                "MISSED",
                String.format("run %d of load '%s' has missed its SLA of %s", runId, load, text));
            if (fail) {
              missedWithFail.accept(attempt);
            }
          },
          sla.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return new SlaWatch(executor);
  }

  private static void mark(RunRepository runs, long runId, String state, String message) {
    LOG.warn(message);
    try {
      runs.setSlaState(runId, state);
    } catch (RuntimeException e) {
      LOG.warn("recording the SLA state of run {} failed: {}", runId, e.getMessage());
    }
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}

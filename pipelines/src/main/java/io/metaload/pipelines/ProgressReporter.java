package io.metaload.pipelines;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a terminal, shows a {@link TerminalProgress} bar; otherwise logs one progress line per run
 * every {@code every} while the pipeline reads, from the run's ledger in the target (each batch's
 * row commits with the batch, so it counts what every worker has committed, on any machine, at
 * once): rows committed of the rows planned, percent, this attempt's rate, the time left at that
 * rate, and batches.
 *
 * <pre>{@code
 * try (ProgressReporter progress = ProgressReporter.start(attempt -> ledgerCounts(attempt), attempts, Duration.ofSeconds(30))) {
 *   pipeline.run().waitUntilFinish();
 * }
 * }</pre>
 */
final class ProgressReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private final ScheduledExecutorService executor;
  private final TerminalProgress bar;

  private ProgressReporter(ScheduledExecutorService executor, TerminalProgress bar) {
    this.executor = executor;
    this.bar = bar;
  }

  /**
   * Starts reporting: a progress bar on a terminal, else a line every {@code every}; a zero {@code
   * every} reports nothing.
   */
  static ProgressReporter start(
      Function<RunAttempt, long[]> committed, List<RunAttempt> attempts, Duration every) {
    if (every.isZero() || attempts.isEmpty()) {
      return new ProgressReporter(null, null);
    }
    if (TerminalProgress.onTerminal()) {
      return new ProgressReporter(null, TerminalProgress.start(committed, attempts));
    }
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "metaload-progress");
              t.setDaemon(true);
              return t;
            });
    long started = System.nanoTime();
    executor.scheduleAtFixedRate(
        () -> {
          for (RunAttempt attempt : attempts) {
            try {
              LOG.info(
                  line(attempt, committed.apply(attempt), (System.nanoTime() - started) / 1e9));
            } catch (RuntimeException e) {
              LOG.warn(
                  "progress of run {} is not available: {}", attempt.run().runId(), e.getMessage());
            }
          }
        },
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
    return new ProgressReporter(executor, null);
  }

  static String line(RunAttempt attempt, long[] committed, double seconds) {
    long[] counts = committed == null ? new long[] {0, 0} : committed;
    double rate = seconds > 0 ? Math.max(0, counts[1] - attempt.carriedRows()) / seconds : 0;
    return RunProgress.line(
        attempt.run().runId(),
        attempt.run().loadName(),
        attempt.run().plan().sourceRows(),
        counts[1],
        counts[0],
        rate);
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
    if (bar != null) {
      bar.close();
    }
  }
}

package io.metaload.pipelines;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one progress line per run every {@code every} while the pipeline reads, from the run's
 * ledger in the target (each batch's row commits with the batch, so it counts what every worker
 * has committed, on any machine, at once): rows committed of the rows planned, percent, this
 * attempt's rate, the time left at that rate, and batches.
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

  private ProgressReporter(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /** Starts reporting; a zero {@code every} reports nothing. */
  static ProgressReporter start(java.util.function.Function<RunAttempt, long[]> committed, List<RunAttempt> attempts, Duration every) {
    if (every.isZero() || attempts.isEmpty()) {
      return new ProgressReporter(null);
    }
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "metaload-progress");
      t.setDaemon(true);
      return t;
    });
    long started = System.nanoTime();
    executor.scheduleAtFixedRate(() -> {
      for (RunAttempt attempt : attempts) {
        try {
          LOG.info(line(attempt, committed.apply(attempt), (System.nanoTime() - started) / 1e9));
        } catch (RuntimeException e) {
          LOG.warn("progress of run {} is not available: {}", attempt.run().runId(), e.getMessage());
        }
      }
    }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return new ProgressReporter(executor);
  }

  /**
   * E.g. {@code progress run 12 load 'orders': 1,234,567 of 5,000,000 rows (24.7%), 310,000 rows/s, about 12 s left, 25 batches},
   * from {@code committed}: the batches and rows the run's ledger holds.
   */
  static String line(RunAttempt attempt, long[] committed, double seconds) {
    long planned = attempt.run().plan().sourceRows();
    long batches = committed[0];
    long done = committed[1];
    long thisAttempt = Math.max(0, done - attempt.carriedRows());
    double rate = seconds > 0 ? thisAttempt / seconds : 0;
    String left = rate <= 0 || done >= planned ? "" : String.format(", about %.0f s left", (planned - done) / rate);
    return String.format("progress run %d load '%s': %,d of %,d rows (%.1f%%), %,.0f rows/s%s, %,d batches", attempt.run().runId(),
        attempt.run().loadName(), done, planned, planned == 0 ? 100.0 : 100.0 * done / planned, rate, left, batches);
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}

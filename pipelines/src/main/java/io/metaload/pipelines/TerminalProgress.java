package io.metaload.pipelines;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A live progress bar on the terminal while the pipeline reads: rows committed of the rows planned
 * (all the command's runs together), percent, rows/s, time left, batches, partitions done and rows
 * rejected, refreshed every second from the runs' ledgers in the target, so it counts what every
 * worker committed. {@link ProgressReporter} uses it when the command runs on a terminal, and logs
 * lines otherwise.
 */
final class TerminalProgress implements AutoCloseable {
  private final ProgressBar bar;
  private final ScheduledExecutorService executor;
  private final Runnable refresh;

  private TerminalProgress(ProgressBar bar, ScheduledExecutorService executor, Runnable refresh) {
    this.bar = bar;
    this.executor = executor;
    this.refresh = refresh;
  }

  /**
   * True when standard input and output are a terminal (not a pipe, a file or an orchestrator's
   * log).
   */
  static boolean onTerminal() {
    return System.console() != null;
  }

  static TerminalProgress start(Function<RunAttempt, long[]> committed, List<RunAttempt> attempts) {
    long planned = attempts.stream().mapToLong(a -> a.run().plan().sourceRows()).sum();
    long carried = attempts.stream().mapToLong(RunAttempt::carriedRows).sum();
    String task =
        attempts.size() == 1
            ? "run " + attempts.get(0).run().runId() + " " + attempts.get(0).run().loadName()
            : attempts.size() + " runs";
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(Math.max(1, planned))
            .startsFrom(carried, Duration.ZERO)
            .setUnit(" rows", 1)
            .showSpeed()
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(1000)
            .setConsumer(TerminalLine.barOn(System.err))
            .build();
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "metaload-progress-bar");
              t.setDaemon(true);
              return t;
            });
    int partitions = attempts.stream().mapToInt(a -> a.run().plan().partitions().size()).sum();
    Runnable refresh =
        () -> {
          long rows = 0;
          long batches = 0;
          long rejected = 0;
          long partitionsDone = 0;
          for (RunAttempt attempt : attempts) {
            try {
              long[] counts = committed.apply(attempt);
              if (counts != null) {
                batches += counts[0];
                rows += counts[1];
                rejected += counts[4];
                partitionsDone += counts[3];
              }
            } catch (RuntimeException e) {
              return;
            }
          }
          bar.stepTo(Math.max(rows, carried));
          bar.setExtraMessage(
              String.format(
                  " %,d batches, %d/%d partitions, %,d rejected",
                  batches, partitionsDone, partitions, rejected));
        };
    executor.scheduleAtFixedRate(refresh, 0, 1, TimeUnit.SECONDS);
    return new TerminalProgress(bar, executor, refresh);
  }

  /** Shows the ledgers' final counts, then ends the bar. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    refresh.run();
    bar.close();
  }
}

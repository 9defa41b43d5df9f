package io.metaload.pipelines.flink;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While a job runs on a Flink cluster, a launcher stopped by SIGTERM or SIGINT (or ending itself
 * through {@code System.exit}, as {@code slaAction: fail} does) cancels the job before it exits:
 * otherwise the job would go on writing with no launcher left to publish it. The shutdown hook
 * waits for the cancellation, then for the launcher to record its runs as FAILED and release their
 * locks ({@code settled}), so that a resume can start at once. SIGKILL runs no hook: the job then
 * runs to its end on the cluster (see docs/operations.md).
 */
public final class CancelOnShutdown implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CancelOnShutdown.class);
  static final Duration CANCEL_WAIT = Duration.ofSeconds(60);
  static final Duration SETTLE_WAIT = Duration.ofSeconds(30);

  private final ClusterSubmission submission;
  private final Thread hook;
  private volatile boolean triggered;

  private CancelOnShutdown(ClusterSubmission submission, CountDownLatch settled) {
    this.submission = submission;
    this.hook = new Thread(() -> cancel(settled), "metaload-cancel-flink-job");
  }

  /** Watches the named job of {@code submission} until {@link #close()}. */
  public static CancelOnShutdown install(ClusterSubmission submission, CountDownLatch settled) {
    CancelOnShutdown guard = new CancelOnShutdown(submission, settled);
    Runtime.getRuntime().addShutdownHook(guard.hook);
    return guard;
  }

  /** True once the process began to exit while the job ran and the job was asked to stop. */
  public boolean triggered() {
    return triggered;
  }

  private void cancel(CountDownLatch settled) {
    triggered = true;
    String name = submission.jobName();
    LOG.warn("metaload is stopping: cancelling Flink job {} on {}", name, submission.master());
    try {
      List<FlinkRest.Job> cancelled =
          new FlinkRest(submission.master()).cancelJobsNamed(name, CANCEL_WAIT);
      LOG.warn(
          cancelled.isEmpty() ? "Flink job {} had already ended" : "Flink job {} cancelled", name);
    } catch (IOException e) {
      LOG.error(
          "could not cancel Flink job {} on {}: {}; cancel it in the Flink web UI or with "
              + "'curl -X PATCH http://{}/jobs/<job id>?mode=cancel' before resuming",
          name,
          submission.master(),
          e.getMessage(),
          submission.master());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      if (!settled.await(SETTLE_WAIT.toSeconds(), TimeUnit.SECONDS)) {
        LOG.error(
            "the runs were not marked FAILED within {} s; their locks expire on their own",
            SETTLE_WAIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops watching: the job has ended. */
  @Override
  public void close() {
    if (triggered) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is already running or about to; it finds the job ended
    }
  }
}

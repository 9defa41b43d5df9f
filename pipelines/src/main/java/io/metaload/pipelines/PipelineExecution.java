package io.metaload.pipelines;

import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.pipelines.flink.CancelOnShutdown;
import io.metaload.pipelines.flink.ClusterSubmission;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pipeline of a command's run attempts and runs it to the end on the chosen runner; on a
 * Flink session cluster it submits the job under the runs' label and cancels it if metaload is
 * stopped meanwhile.
 */
final class PipelineExecution {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineExecution.class);

  private PipelineExecution() {}

  static void execute(
      MetaloadConfig config,
      PipelineOptions options,
      List<RunAttempt> attempts,
      CountDownLatch settled) {
    if (attempts.stream().allMatch(a -> a.units().isEmpty())) {
      return;
    }
    long start = System.nanoTime();
    Optional<ClusterSubmission> cluster =
        ClusterSubmission.of(options).map(c -> c.prepare(options, jobLabel(attempts)));
    Pipeline pipeline = Pipeline.create(options);
    LoadPipeline.build(pipeline, config, attempts);
    cluster.ifPresent(
        c -> LOG.info("submitting job {} to the Flink cluster at {}", c.jobName(), c.master()));
    PipelineResult.State state;
    try (CancelOnShutdown guard =
        cluster.map(c -> CancelOnShutdown.install(c, settled)).orElse(null)) {
      try {
        state = pipeline.run().waitUntilFinish();
      } catch (RuntimeException e) {
        if (guard != null && guard.triggered()) {
          throw new MetaloadException(
              ExitCode.LOAD_FAILED,
              "metaload was stopped while job "
                  + cluster.get().jobName()
                  + " ran on the Flink cluster at "
                  + cluster.get().master()
                  + "; the job was cancelled",
              e);
        }
        throw e;
      }
    }
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pipeline ended in state " + state);
    }
    LOG.info(
        "pipeline finished in {} s on {}{}",
        String.format("%.1f", (System.nanoTime() - start) / 1e9),
        options.getRunner().getSimpleName(),
        cluster.map(c -> " (cluster " + c.master() + ", job " + c.jobName() + ")").orElse(""));
  }

  /** {@code orders-run7}, or {@code orders-run7-customers-run8} for several runs. */
  private static String jobLabel(List<RunAttempt> attempts) {
    return attempts.stream().map(PipelineExecution::runLabel).collect(Collectors.joining("-"));
  }

  private static String runLabel(RunAttempt attempt) {
    return runLabel(attempt.run().loadName(), attempt.run().runId());
  }

  static String runLabel(String loadName, long runId) {
    return loadName.replaceAll("[^A-Za-z0-9_.]", "_") + "-run" + runId;
  }
}

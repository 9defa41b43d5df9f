package io.metaload.pipelines;

import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.pipelines.flink.ClusterSubmission;
import java.util.Collection;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner options a command runs with: the parallelism its read units are sized for, capped by
 * the sources' connection budget, and the in-process Direct runner small runs take.
 */
final class RunnerOptions {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerOptions.class);

  private RunnerOptions() {}

  /** The smallest {@code maxConnections} of the loads' source connections; 0 when none sets one. */
  static int readerBudget(MetaloadConfig config, Collection<LoadDefinition> definitions) {
    int budget = 0;
    for (LoadDefinition d : definitions) {
      int max = config.connection(d.sourceConnection()).maxConnections();
      if (max > 0) {
        budget = budget == 0 ? max : Math.min(budget, max);
      }
    }
    return budget;
  }

  /**
   * Caps the pipeline's parallelism: each parallel reader holds one source connection, so this
   * bounds the source's reader sessions (and the target's writers with them).
   */
  static void limitParallelism(PipelineOptions options, int parallelism) {
    if (options.getRunner().getSimpleName().startsWith("Flink")) {
      options.as(FlinkPipelineOptions.class).setParallelism(parallelism);
    } else {
      org.apache.beam.runners.direct.DirectOptions direct =
          options.as(org.apache.beam.runners.direct.DirectOptions.class);
      direct.setTargetParallelism(Math.min(direct.getTargetParallelism(), parallelism));
    }
  }

  static PipelineOptions inProcess(int workers) {
    org.apache.beam.runners.direct.DirectOptions direct =
        org.apache.beam.sdk.options.PipelineOptionsFactory.create()
            .as(org.apache.beam.runners.direct.DirectOptions.class);
    direct.setRunner(org.apache.beam.runners.direct.DirectRunner.class);
    direct.setTargetParallelism(Math.max(1, workers));
    // The Direct runner's checks encode every batch again to catch coder and mutation bugs; tests
    // run with them on (--runner=DirectRunner), a small production run has no use for them.
    direct.setEnforceImmutability(false);
    direct.setEnforceEncodability(false);
    return direct;
  }

  /**
   * Parallelism the plan sizes read units for: Flink's setting; else, on a Flink cluster, all of
   * its task slots (set as the job's parallelism too); else the machine's cores.
   */
  static int workers(PipelineOptions options) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (flink.getParallelism() > 0) {
      return flink.getParallelism();
    }
    Optional<ClusterSubmission> cluster = ClusterSubmission.of(options);
    if (cluster.isPresent()) {
      int slots = cluster.get().slots();
      flink.setParallelism(slots);
      LOG.info(
          "the Flink cluster at {} has {} task slots: running with parallelism {}",
          cluster.get().master(),
          slots,
          slots);
      return slots;
    }
    return Runtime.getRuntime().availableProcessors();
  }
}

package io.metaload.pipelines;

import io.metaload.metadata.store.RunQueries;
import io.metaload.pipelines.flink.ClusterSubmission;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink cluster jobs that runs to resume left behind: their launcher was killed while they went
 * on writing.
 */
final class OrphanedJobs {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanedJobs.class);

  private OrphanedJobs() {}

  /**
   * On a Flink cluster, cancels the jobs of the runs to resume that are still running: their
   * launcher was killed (this command holds the runs' locks). It happens before the ledgers are
   * read, so no batch commits between planning the new attempt and starting it.
   */
  static void cancel(PipelineOptions options, List<RunQueries.RunSummary> toResume) {
    if (toResume.isEmpty()) {
      return;
    }
    ClusterSubmission.of(options)
        .ifPresent(
            c -> {
              List<String> labels =
                  toResume.stream()
                      .map(r -> PipelineExecution.runLabel(r.loadName, r.runId))
                      .collect(Collectors.toList());
              c.cancelOrphans(labels)
                  .forEach(
                      orphan ->
                          LOG.warn(
                              "cancelled {} on the Flink cluster at {}: it went on writing for a run to "
                                  + "resume after its launcher was killed",
                              orphan,
                              c.master()));
            });
  }
}

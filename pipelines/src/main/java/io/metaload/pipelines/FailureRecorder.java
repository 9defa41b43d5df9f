package io.metaload.pipelines;

import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.store.RunRepository;
import io.metaload.metadata.store.RunStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a command's failed runs: it knows which attempt of each run the command makes and which
 * failure the command reports, and never lets a metadata store that cannot be reached hide the
 * failure it records.
 */
final class FailureRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(FailureRecorder.class);

  private final RunRepository runs;
  private final MetaloadConfig config;
  private final Map<Long, Integer> attemptOf = new LinkedHashMap<>();
  private final Map<Long, String> loadOf = new LinkedHashMap<>();

  FailureRecorder(RunRepository runs, MetaloadConfig config) {
    this.runs = runs;
    this.config = config;
  }

  /** The command makes attempt {@code attempt} of run {@code runId} of load {@code loadName}. */
  void attempting(long runId, String loadName, int attempt) {
    attemptOf.put(runId, attempt);
    loadOf.put(runId, loadName);
  }

  /**
   * Run {@code runId} moved on to attempt {@code attempt}: a failure from now on is recorded on it.
   */
  void movedOn(long runId, int attempt) {
    attemptOf.put(runId, attempt);
  }

  /** The runs the command makes an attempt of, in the order it began them. */
  Set<Long> runIds() {
    return attemptOf.keySet();
  }

  /**
   * The failure the command reports for {@code e}: classified, naming the run when the command has
   * only one, and with the next step to take once it has any run.
   */
  MetaloadException reported(RuntimeException e) {
    MetaloadException failure = PipelineFailures.classify(e);
    if (attemptOf.size() == 1 && !failure.context().containsKey("run")) {
      long runId = attemptOf.keySet().iterator().next();
      failure.withRun(runId).withLoad(loadOf.get(runId));
    }
    return attemptOf.isEmpty() ? failure : NextStep.appendTo(failure, config);
  }

  /**
   * Marks this attempt of a run FAILED; a metadata store that cannot be reached is logged, not
   * thrown over the failure.
   */
  void markFailed(long runId, MetaloadException failure) {
    try {
      if (!runs.finishAttempt(
          runId, attemptOf.getOrDefault(runId, 1), RunStatus.FAILED, null, failure.getMessage())) {
        LOG.warn(
            "run {} has moved on to a later attempt; its status is left to that attempt", runId);
      }
    } catch (RuntimeException e) {
      LOG.error(
          "run {} failed ({}) and recording that failed too: {}",
          runId,
          failure.getMessage(),
          e.getMessage());
      failure.addSuppressed(e);
    }
  }
}

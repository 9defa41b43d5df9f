package io.metaload.pipelines;

import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;

/** Adds to a recorded run's failure what the operator does next: resume it, or abandon it. */
final class NextStep {
  private NextStep() {}

  static MetaloadException appendTo(MetaloadException failure, MetaloadConfig config) {
    Object run = failure.context().get("run");
    Object load = failure.context().get("load");
    if (run == null
        || load == null
        || failure.exitCode() == ExitCode.BAD_USAGE
        || failure.exitCode() == ExitCode.RUN_CONFLICT) {
      return failure;
    }
    String abandon = "'metaload abandon --config " + config.file() + " --run " + run + "'";
    String next =
        failure.exitCode() == ExitCode.VALIDATION_MISMATCH
            ? "; the stored counts would fail again: abandon the run with "
                + abandon
                + " and start a new one"
            : "; after fixing the cause, continue with 'metaload run --config "
                + config.file()
                + " --load "
                + load
                + " --resume' (committed "
                + "batches are kept), or give up with "
                + abandon;
    MetaloadException out =
        new MetaloadException(failure.exitCode(), failure.getMessage() + next, failure.getCause());
    out.context().putAll(failure.context());
    out.setStackTrace(failure.getStackTrace());
    return out;
  }
}

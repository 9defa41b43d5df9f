package io.metaload.pipelines;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;

/**
 * Turns whatever a runner threw into a {@link MetaloadException}. The Direct runner keeps the
 * original exception in the cause chain; the Flink runner may hand back only its class name
 * and message, so the SQLState that our messages carry decides whether a database was
 * unreachable.
 */
final class PipelineFailures {
  private PipelineFailures() {}

  static MetaloadException classify(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof MetaloadException) {
        return (MetaloadException) t;
      }
    }
    Throwable root = thrown;
    StringBuilder messages = new StringBuilder();
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      root = t;
      messages.append(' ').append(t.getMessage());
    }
    String all = messages.toString();
    ExitCode code = all.contains("[SQLState 08") || all.contains("[SQLState 28")
        ? ExitCode.DATABASE_UNREACHABLE
        : ExitCode.LOAD_FAILED;
    String message = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
    return new MetaloadException(code, "pipeline failed: " + message, thrown);
  }
}

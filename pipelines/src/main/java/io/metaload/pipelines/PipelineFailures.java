package io.metaload.pipelines;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import org.apache.flink.util.SerializedThrowable;

/**
 * Turns whatever a runner threw into a {@link MetaloadException}. The Direct runner keeps the
 * original exception in the cause chain; a Flink cluster sends it back serialized ({@link
 * SerializedThrowable}), which is restored with the launcher's classes where it can be. Failing
 * that, only class names and messages are left, so the SQLState that our messages carry decides
 * whether a database was unreachable.
 */
final class PipelineFailures {
  private PipelineFailures() {}

  static MetaloadException classify(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof MetaloadException) {
        return (MetaloadException) t;
      }
      if (t instanceof SerializedThrowable) {
        Throwable original =
            ((SerializedThrowable) t).deserializeError(PipelineFailures.class.getClassLoader());
        if (original != t) {
          MetaloadException found = findMetaloadException(original);
          if (found != null) {
            return found;
          }
        }
      }
    }
    Throwable root = thrown;
    StringBuilder messages = new StringBuilder();
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      root = t;
      messages.append(' ').append(t.getMessage());
    }
    String all = messages.toString();
    ExitCode code =
        all.contains("[SQLState 08") || all.contains("[SQLState 28")
            ? ExitCode.DATABASE_UNREACHABLE
            : ExitCode.LOAD_FAILED;
    String message = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
    return new MetaloadException(code, "pipeline failed: " + message, thrown);
  }

  private static MetaloadException findMetaloadException(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof MetaloadException) {
        return (MetaloadException) t;
      }
    }
    return null;
  }
}

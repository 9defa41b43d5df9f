package io.metaload.pipelines;

import com.google.auto.value.AutoValue;

/**
 * What one finished run did, for the command line's summary: all rows published, and apart from
 * them the rows this attempt loaded and earlier attempts carried over.
 */
@AutoValue
public abstract class RunReport {
  public abstract long runId();

  public abstract String loadName();

  public abstract int attempt();

  /** Rows published: every attempt's. */
  public abstract long rows();

  /** Rows committed by earlier attempts of the run. */
  public abstract long carriedRows();

  public abstract int partitions();

  public abstract long batches();

  /** Seconds of this attempt. */
  public abstract double seconds();

  public static RunReport of(
      long runId,
      String loadName,
      int attempt,
      long rows,
      long carriedRows,
      int partitions,
      long batches,
      double seconds) {
    return new AutoValue_RunReport(
        runId, loadName, attempt, rows, carriedRows, partitions, batches, seconds);
  }

  /** Rows this attempt loaded. */
  public long rowsThisAttempt() {
    return Math.max(0, rows() - carriedRows());
  }

  /** This attempt's rows per second. */
  public double rowsPerSecond() {
    return seconds() <= 0 ? 0 : rowsThisAttempt() / seconds();
  }
}

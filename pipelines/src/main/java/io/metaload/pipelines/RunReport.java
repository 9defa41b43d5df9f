package io.metaload.pipelines;

import com.google.auto.value.AutoValue;

/** What one finished run did, for the command line's summary. */
@AutoValue
public abstract class RunReport {
  public abstract long runId();

  public abstract String loadName();

  public abstract long rows();

  public abstract int partitions();

  public abstract long batches();

  public abstract double seconds();

  public static RunReport of(long runId, String loadName, long rows, int partitions, long batches, double seconds) {
    return new AutoValue_RunReport(runId, loadName, rows, partitions, batches, seconds);
  }

  public double rowsPerSecond() {
    return seconds() <= 0 ? 0 : rows() / seconds();
  }
}

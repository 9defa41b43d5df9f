package io.metaload.transforms.flowgraph;

import com.google.auto.value.AutoValue;
import java.io.Serializable;

/** A row a flowgraph step refused, with the step and the reason; it goes to {@code load_reject}. */
@AutoValue
public abstract class RejectedRow implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract long runId();

  public abstract String batchId();

  /** Index of the row within its batch as read. */
  public abstract int rowIndex();

  public abstract String step();

  public abstract String reason();

  /** The row rendered as text, for the operator who reads the reject table. */
  public abstract String rowData();

  public static RejectedRow of(long runId, String batchId, int rowIndex, String step, String reason, String rowData) {
    return new AutoValue_RejectedRow(runId, batchId, rowIndex, step, reason, rowData);
  }
}

package io.metaload.metadata.store;

import com.google.auto.value.AutoValue;
import java.io.Serializable;

/**
 * A row that a flowgraph step or the target refused, with the step and the reason: one row of
 * {@code load_reject}. {@link #rowJson()} holds the row as a JSON object with hashed and masked
 * columns hidden.
 */
@AutoValue
public abstract class RejectRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The step name a row the target refused is rejected by. */
  public static final String TARGET_STEP = "target";

  public abstract long runId();

  public abstract String loadName();

  public abstract int partitionId();

  public abstract String batchId();

  /** The row's position within its batch as read, which makes a replayed reject replace itself. */
  public abstract int rowIndex();

  public abstract String step();

  public abstract String reason();

  public abstract String rowJson();

  public static RejectRecord of(
      long runId,
      String loadName,
      int partitionId,
      String batchId,
      int rowIndex,
      String step,
      String reason,
      String rowJson) {
    return new AutoValue_RejectRecord(
        runId, loadName, partitionId, batchId, rowIndex, step, reason, rowJson);
  }
}

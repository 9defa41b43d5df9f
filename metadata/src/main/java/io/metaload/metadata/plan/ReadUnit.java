package io.metaload.metadata.plan;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import javax.annotation.Nullable;

/**
 * The partition descriptor the metadata source emits: one slice of a partition's split-key range,
 * sized from the row estimate so that every worker has work. The reader's restriction starts as
 * {@code [keyFrom, keyTo)}.
 */
@AutoValue
public abstract class ReadUnit implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Value equality (AutoValue's), declared here so that Beam's {@code SerializableCoder} sees it on
   * this class.
   */
  @Override
  public abstract boolean equals(Object other);

  @Override
  public abstract int hashCode();

  public abstract long runId();

  public abstract String loadName();

  public abstract int partitionId();

  public abstract int unitIndex();

  @Nullable
  public abstract String predicateValue();

  public abstract long keyFrom();

  public abstract long keyTo();

  public abstract long estimatedRows();

  public static ReadUnit of(
      long runId,
      String loadName,
      int partitionId,
      int unitIndex,
      @Nullable String predicateValue,
      long keyFrom,
      long keyTo,
      long estimatedRows) {
    return new AutoValue_ReadUnit(
        runId, loadName, partitionId, unitIndex, predicateValue, keyFrom, keyTo, estimatedRows);
  }
}

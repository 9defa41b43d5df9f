package io.metaload.metadata.store;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;
import javax.annotation.Nullable;

/** The protocol record of one committed batch: one row of {@code load_batch}. */
@AutoValue
public abstract class BatchRecord implements Serializable {
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

  public abstract String batchId();

  public abstract int partitionId();

  /** Split-key positions of the first and last row in the batch. */
  public abstract long keyFirst();

  public abstract long keyLast();

  public abstract long rowsRead();

  public abstract long rowsWritten();

  public abstract long rowsRejected();

  public abstract long startedAtMillis();

  public abstract long endedAtMillis();

  /** The run attempt that committed the batch: 1 for the first, 2 after the first resume, ... */
  public abstract int attempt();

  /** Transient errors retried while reading and writing this batch. */
  public abstract int retries();

  /**
   * The process that wrote the batch ({@code host:pid}); null when it is not known (a batch
   * recovered from a ledger).
   */
  @Nullable
  public abstract String worker();

  /**
   * Bytes of row data sent to the target for the batch (COPY); null where not measured (INSERT
   * targets, recovered batches).
   */
  @Nullable
  public abstract Long bytes();

  /** The same record, written by {@code worker}. */
  /**
   * The rejected rows of this batch, written to {@code load_reject} with the record; their count is
   * {@link #rowsRejected()}.
   */
  public abstract List<RejectRecord> rejects();

  public BatchRecord withRejects(List<RejectRecord> rejects) {
    return new AutoValue_BatchRecord(
        runId(),
        loadName(),
        batchId(),
        partitionId(),
        keyFirst(),
        keyLast(),
        rowsRead(),
        rowsWritten(),
        rowsRejected(),
        startedAtMillis(),
        endedAtMillis(),
        attempt(),
        retries(),
        worker(),
        bytes(),
        List.copyOf(rejects));
  }

  public BatchRecord writtenBy(String worker) {
    return new AutoValue_BatchRecord(
        runId(),
        loadName(),
        batchId(),
        partitionId(),
        keyFirst(),
        keyLast(),
        rowsRead(),
        rowsWritten(),
        rowsRejected(),
        startedAtMillis(),
        endedAtMillis(),
        attempt(),
        retries(),
        worker,
        bytes(),
        rejects());
  }

  /** The same record with the bytes its write sent. */
  public BatchRecord withBytes(@Nullable Long bytes) {
    return new AutoValue_BatchRecord(
        runId(),
        loadName(),
        batchId(),
        partitionId(),
        keyFirst(),
        keyLast(),
        rowsRead(),
        rowsWritten(),
        rowsRejected(),
        startedAtMillis(),
        endedAtMillis(),
        attempt(),
        retries(),
        worker(),
        bytes,
        rejects());
  }

  public static BatchRecord of(
      long runId,
      String loadName,
      String batchId,
      int partitionId,
      long keyFirst,
      long keyLast,
      long rowsRead,
      long rowsWritten,
      long rowsRejected,
      long startedAtMillis,
      long endedAtMillis) {
    return of(
        runId,
        loadName,
        batchId,
        partitionId,
        keyFirst,
        keyLast,
        rowsRead,
        rowsWritten,
        rowsRejected,
        startedAtMillis,
        endedAtMillis,
        1,
        0);
  }

  public static BatchRecord of(
      long runId,
      String loadName,
      String batchId,
      int partitionId,
      long keyFirst,
      long keyLast,
      long rowsRead,
      long rowsWritten,
      long rowsRejected,
      long startedAtMillis,
      long endedAtMillis,
      int attempt,
      int retries) {
    return new AutoValue_BatchRecord(
        runId,
        loadName,
        batchId,
        partitionId,
        keyFirst,
        keyLast,
        rowsRead,
        rowsWritten,
        rowsRejected,
        startedAtMillis,
        endedAtMillis,
        attempt,
        retries,
        null,
        null,
        List.of());
  }
}

package io.metaload.transforms.batch;

import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.store.RejectRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The pipeline's element: one claimed keyset batch of a read unit, with its identity (run, load,
 * partition, and the split-key range {@code [firstKey, lastKey]} it read, as positions) and up to
 * {@code batchSize} rows; a range that held no rows is a batch without rows.
 *
 * <p>Rows are {@code Object[]} in source column order holding the values {@link ColumnType}
 * describes; treat them as immutable. Flowgraph steps may drop rows (filtered out, or rejected into
 * {@link #rejects()}) but keep {@link #rowsRead()}, so the writer can report rejects per batch. Not
 * an AutoValue type because it holds arrays; equality compares rows by content.
 */
public final class RowBatch {
  private final long runId;
  private final String loadName;
  private final int partitionId;
  private final long firstKey;
  private final long lastKey;
  private final long rowsRead;
  private final long readStartedMillis;
  private final ColumnType[] types;
  private final List<Object[]> rows;
  private final int readRetries;
  private final byte[] copyBinary;
  private final int encodedRows;
  private final List<RejectRecord> rejects;

  public RowBatch(
      long runId,
      String loadName,
      int partitionId,
      long firstKey,
      long lastKey,
      long rowsRead,
      long readStartedMillis,
      ColumnType[] types,
      List<Object[]> rows) {
    this(
        runId,
        loadName,
        partitionId,
        firstKey,
        lastKey,
        rowsRead,
        readStartedMillis,
        types,
        rows,
        0);
  }

  public RowBatch(
      long runId,
      String loadName,
      int partitionId,
      long firstKey,
      long lastKey,
      long rowsRead,
      long readStartedMillis,
      ColumnType[] types,
      List<Object[]> rows,
      int readRetries) {
    this(
        runId,
        loadName,
        partitionId,
        firstKey,
        lastKey,
        rowsRead,
        readStartedMillis,
        types,
        rows,
        readRetries,
        null,
        0,
        List.of());
  }

  private RowBatch(
      long runId,
      String loadName,
      int partitionId,
      long firstKey,
      long lastKey,
      long rowsRead,
      long readStartedMillis,
      ColumnType[] types,
      List<Object[]> rows,
      int readRetries,
      byte[] copyBinary,
      int encodedRows,
      List<RejectRecord> rejects) {
    this.rejects = rejects;
    this.copyBinary = copyBinary;
    this.encodedRows = encodedRows;
    this.readRetries = readRetries;
    this.runId = runId;
    this.loadName = loadName;
    this.partitionId = partitionId;
    this.firstKey = firstKey;
    this.lastKey = lastKey;
    this.rowsRead = rowsRead;
    this.readStartedMillis = readStartedMillis;
    this.types = types;
    this.rows = rows;
  }

  /**
   * A batch whose rows stay in PostgreSQL's binary COPY tuple format ({@code payload} holds the
   * tuples without header and trailer), for PostgreSQL to PostgreSQL pass-through.
   */
  public static RowBatch copyBinary(
      long runId,
      String loadName,
      int partitionId,
      long firstKey,
      long lastKey,
      int rows,
      long readStartedMillis,
      byte[] payload,
      int readRetries) {
    return new RowBatch(
        runId,
        loadName,
        partitionId,
        firstKey,
        lastKey,
        rows,
        readStartedMillis,
        new ColumnType[0],
        List.of(),
        readRetries,
        payload,
        rows,
        List.of());
  }

  /** A batch for the key range {@code [from, to)} that held no rows when it was read. */
  public static RowBatch emptyRange(
      long runId, String loadName, int partitionId, long from, long to, long readStartedMillis) {
    return new RowBatch(
        runId,
        loadName,
        partitionId,
        from,
        to - 1,
        0,
        readStartedMillis,
        new ColumnType[0],
        List.of());
  }

  /** True when the rows are binary COPY tuples rather than decoded values. */
  public boolean isCopyBinary() {
    return copyBinary != null;
  }

  /** The binary COPY tuples of a {@link #isCopyBinary()} batch. */
  public byte[] copyBinaryPayload() {
    if (copyBinary == null) {
      throw new IllegalStateException(this + " holds decoded rows, not COPY tuples");
    }
    return copyBinary;
  }

  /** Rows the batch holds now, in either form. */
  public int rowCount() {
    return copyBinary != null ? encodedRows : rows.size();
  }

  /** The same batch identity with other rows, for flowgraph steps. */
  public RowBatch withRows(ColumnType[] newTypes, List<Object[]> newRows) {
    return withRows(newTypes, newRows, rejects);
  }

  /**
   * The same batch identity with other rows and the rows the flowgraph rejected, which ride with
   * the batch to the writer.
   */
  public RowBatch withRows(
      ColumnType[] newTypes, List<Object[]> newRows, List<RejectRecord> newRejects) {
    return new RowBatch(
        runId,
        loadName,
        partitionId,
        firstKey,
        lastKey,
        rowsRead,
        readStartedMillis,
        newTypes,
        newRows,
        readRetries,
        null,
        0,
        List.copyOf(newRejects));
  }

  /**
   * Rows a flowgraph step refused; with the rows it filtered out, {@link #rowsRead()} minus {@link
   * #rowCount()} minus these.
   */
  public List<RejectRecord> rejects() {
    return rejects;
  }

  /** Transient failures the reader retried while reading this batch. */
  public int readRetries() {
    return readRetries;
  }

  public long runId() {
    return runId;
  }

  public String loadName() {
    return loadName;
  }

  public int partitionId() {
    return partitionId;
  }

  public long firstKey() {
    return firstKey;
  }

  public long lastKey() {
    return lastKey;
  }

  /** Rows the reader read for this batch, before any flowgraph step dropped some. */
  public long rowsRead() {
    return rowsRead;
  }

  public long readStartedMillis() {
    return readStartedMillis;
  }

  public ColumnType[] types() {
    return types;
  }

  /** Decoded rows; a {@link #isCopyBinary()} batch has none to offer. */
  public List<Object[]> rows() {
    if (copyBinary != null) {
      throw new IllegalStateException(
          this
              + " holds PostgreSQL binary COPY tuples; flowgraph steps that read rows need decoded batches");
    }
    return rows;
  }

  /**
   * A stable id for this batch within its run: the same rows read again (a retried bundle, a
   * resumed run) get the same id, which makes the ledger check in the writer exact.
   */
  public String batchId() {
    return "p" + partitionId + ":" + firstKey + ":" + lastKey;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RowBatch)) {
      return false;
    }
    RowBatch b = (RowBatch) o;
    if (runId != b.runId
        || partitionId != b.partitionId
        || firstKey != b.firstKey
        || lastKey != b.lastKey
        || rowsRead != b.rowsRead
        || !loadName.equals(b.loadName)
        || !Arrays.equals(types, b.types)
        || rows.size() != b.rows.size()
        || encodedRows != b.encodedRows
        || !Arrays.equals(copyBinary, b.copyBinary)
        || !rejects.equals(b.rejects)) {
      return false;
    }
    for (int i = 0; i < rows.size(); i++) {
      if (!Arrays.deepEquals(rows.get(i), b.rows.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(runId, loadName, partitionId, firstKey, lastKey, rowCount());
  }

  @Override
  public String toString() {
    return "RowBatch{run "
        + runId
        + ", load "
        + loadName
        + ", "
        + batchId()
        + ", "
        + rowCount()
        + " rows"
        + (copyBinary != null ? " as COPY tuples}" : "}");
  }
}

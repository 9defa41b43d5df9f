package io.metaload.transforms.read;

import io.metaload.metadata.plan.ReadUnit;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.transforms.batch.RowBatch;
import java.util.List;

/** Rows decoded into Java values through JDBC. */
final class DecodedRows implements FetchedBatch {
  private final ColumnType[] types;
  private final List<Object[]> rows;
  private final int keyIndex;
  private final SplitKeyType keyType;

  DecodedRows(ColumnType[] types, List<Object[]> rows, int keyIndex, SplitKeyType keyType) {
    this.types = types;
    this.rows = rows;
    this.keyIndex = keyIndex;
    this.keyType = keyType;
  }

  @Override
  public int size() {
    return rows.size();
  }

  @Override
  public long position(int row) {
    return keyType.toPosition(rows.get(row)[keyIndex]);
  }

  @Override
  public FetchedBatch prefix(int n) {
    return n == rows.size() ? this : new DecodedRows(types, rows.subList(0, n), keyIndex, keyType);
  }

  @Override
  public RowBatch toRowBatch(
      ReadUnit unit, long rangeFrom, long rangeTo, long readStartedMillis, int readRetries) {
    return new RowBatch(
        unit.runId(),
        unit.loadName(),
        unit.partitionId(),
        rangeFrom,
        rangeTo - 1,
        rows.size(),
        readStartedMillis,
        types,
        List.copyOf(rows),
        readRetries);
  }
}

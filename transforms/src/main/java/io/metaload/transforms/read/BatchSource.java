package io.metaload.transforms.read;

import java.sql.SQLException;
import javax.annotation.Nullable;

/** Runs the reader's two keyset queries on one source connection. Not thread-safe. */
interface BatchSource extends AutoCloseable {
  /** Up to {@code batchSize} rows with split-key position in {@code [from, to)}, in key order. */
  FetchedBatch readRange(@Nullable String partitionValue, long from, long to) throws SQLException;

  /** Every row whose split key is at {@code position}. */
  FetchedBatch readKey(@Nullable String partitionValue, long position) throws SQLException;

  @Override
  void close() throws SQLException;

  static BatchSource open(SourceSpec spec) throws SQLException {
    return spec.copyBinary() ? new CopyBinaryReader(spec, spec.connection().open()) : new KeysetBatchReader(spec, spec.connection().open());
  }
}

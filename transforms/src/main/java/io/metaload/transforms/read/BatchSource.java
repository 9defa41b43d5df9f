package io.metaload.transforms.read;

import java.sql.Connection;
import java.sql.SQLException;
import javax.annotation.Nullable;

/** Runs the reader's two keyset queries on one source connection. Not thread-safe. */
interface BatchSource extends AutoCloseable {
  /** Up to {@code batchSize} rows with split-key position in {@code [from, to)}, in key order. */
  FetchedBatch readRange(@Nullable String partitionValue, long from, long to) throws SQLException;

  /** Every row whose split key is at {@code position}. */
  FetchedBatch readKey(@Nullable String partitionValue, long position) throws SQLException;

  /**
   * Every row of an ordinal key's sub-range {@code position} of partition {@code partitionId}, in
   * order-key order.
   */
  FetchedBatch readSubRange(@Nullable String partitionValue, int partitionId, long position)
      throws SQLException;

  @Override
  void close() throws SQLException;

  /**
   * Opens a connection and the reader on it; the connection is closed if the reader cannot be set
   * up (e.g. the snapshot is gone).
   */
  static BatchSource open(SourceSpec spec) throws SQLException {
    Connection connection = spec.connection().open("reader");
    try {
      spec.dialect().limitStatementTime(connection, spec.connection().queryTimeoutSeconds());
      return spec.readPath() == SourceSpec.ReadPath.JDBC
          ? new KeysetBatchReader(spec, connection)
          : new CopyBinaryReader(spec, connection);
    } catch (SQLException | RuntimeException e) {
      try {
        connection.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }
}

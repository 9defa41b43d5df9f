package io.metaload.transforms.protocol;

import io.metaload.metadata.config.ConnectionSpec;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * A DoFn that writes each element to the metadata store on one connection, opened on first use and
 * dropped after a failure so the next element (or retry) starts clean.
 */
abstract class MetadataWriterFn<T> extends DoFn<T, Void> {
  private static final long serialVersionUID = 1L;

  final ConnectionSpec metadata;
  private transient Connection connection;

  MetadataWriterFn(ConnectionSpec metadata) {
    this.metadata = metadata;
  }

  Connection connection() throws SQLException {
    if (connection == null) {
      connection = metadata.open();
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }
    return connection;
  }

  @Teardown
  public void teardown() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Every element was committed when it was processed; nothing is left to flush.
      }
      connection = null;
    }
  }
}

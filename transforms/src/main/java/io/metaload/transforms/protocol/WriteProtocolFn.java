package io.metaload.transforms.protocol;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.store.BatchRecord;
import io.metaload.metadata.store.RunRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Writes each batch's protocol record to {@code load_batch} as it arrives, so {@code metaload
 * status} shows progress while the run is going. Replays replace the record.
 */
final class WriteProtocolFn extends DoFn<BatchRecord, Void> {
  private static final long serialVersionUID = 1L;

  private final ConnectionSpec metadata;
  private transient Connection connection;

  WriteProtocolFn(ConnectionSpec metadata) {
    this.metadata = metadata;
  }

  @ProcessElement
  public void process(@Element BatchRecord record) {
    try {
      if (connection == null) {
        connection = metadata.open();
      }
      RunRepository.recordBatches(connection, List.of(record));
    } catch (SQLException e) {
      teardown();
      throw SqlErrors.wrap("writing the protocol of batch " + record.batchId() + " to the metadata store " + metadata.describe(),
          e, ExitCode.LOAD_FAILED).withRun(record.runId()).withLoad(record.loadName()).withPartition(record.partitionId())
          .withBatch(record.batchId());
    }
  }

  @Teardown
  public void teardown() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Nothing left to flush: every record was committed in process().
      }
      connection = null;
    }
  }
}

package io.metaload.transforms.protocol;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.RetryPolicy;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.store.BatchProtocol;
import io.metaload.metadata.store.BatchRecord;
import io.metaload.transforms.retry.TransientRetry;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes each batch's protocol record to {@code load_batch} as it arrives, so {@code metaload
 * status} shows progress while the run is going. Replays replace the record, so a write that failed
 * transiently (a deadlock among launchers sharing the store, a lost connection) is written again.
 */
final class WriteProtocolFn extends MetadataWriterFn<BatchRecord> {
  private static final long serialVersionUID = 1L;

  WriteProtocolFn(ConnectionSpec metadata) {
    super(metadata);
  }

  @ProcessElement
  public void process(@Element BatchRecord record) {
    try {
      new TransientRetry(RetryPolicy.defaults())
          .run(
              "writing the protocol of batch " + record.batchId(),
              () -> {
                BatchProtocol.recordBatches(connection(), List.of(record));
                return null;
              },
              this::teardown);
    } catch (SQLException e) {
      teardown();
      throw SqlErrors.wrap(
              "writing the protocol of batch "
                  + record.batchId()
                  + " to the metadata store "
                  + metadata.describe(),
              e,
              ExitCode.LOAD_FAILED)
          .withRun(record.runId())
          .withLoad(record.loadName())
          .withPartition(record.partitionId())
          .withBatch(record.batchId());
    }
  }
}

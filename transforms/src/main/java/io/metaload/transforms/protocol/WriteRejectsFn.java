package io.metaload.transforms.protocol;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.transforms.flowgraph.RejectedRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Writes rejected rows to {@code load_reject}; a replayed reject replaces the earlier one. */
final class WriteRejectsFn extends MetadataWriterFn<RejectedRow> {
  private static final long serialVersionUID = 1L;
  private static final int MAX_TEXT = 2000;

  WriteRejectsFn(ConnectionSpec metadata) {
    super(metadata);
  }

  @ProcessElement
  public void process(@Element RejectedRow reject) {
    try {
      Connection connection = connection();
      connection.setAutoCommit(false);
      try (PreparedStatement delete = connection.prepareStatement(
              "DELETE FROM load_reject WHERE run_id = ? AND batch_id = ? AND row_index = ?");
          PreparedStatement insert = connection.prepareStatement(
              "INSERT INTO load_reject (run_id, batch_id, row_index, step, reason, row_data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        delete.setLong(1, reject.runId());
        delete.setString(2, reject.batchId());
        delete.setInt(3, reject.rowIndex());
        delete.executeUpdate();
        insert.setLong(1, reject.runId());
        insert.setString(2, reject.batchId());
        insert.setInt(3, reject.rowIndex());
        insert.setString(4, reject.step());
        insert.setString(5, clip(reject.reason()));
        insert.setString(6, clip(reject.rowData()));
        insert.setTimestamp(7, new java.sql.Timestamp(System.currentTimeMillis()));
        insert.executeUpdate();
      }
      connection.commit();
    } catch (SQLException e) {
      teardown();
      throw SqlErrors.wrap("writing a rejected row of batch " + reject.batchId() + " to the metadata store", e, ExitCode.LOAD_FAILED)
          .withRun(reject.runId()).withBatch(reject.batchId());
    }
  }

  private static String clip(String s) {
    return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
  }
}

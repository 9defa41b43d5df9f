package io.metaload.transforms.write;

import io.metaload.transforms.batch.RowBatch;
import java.sql.Connection;
import java.sql.SQLException;

/** Loads a batch's rows into the staging table on a connection whose transaction the caller owns. */
interface BatchLoader {
  /** Returns the number of rows written. */
  long load(Connection connection, RowBatch batch) throws SQLException;

  static BatchLoader forTarget(StagingTarget target) {
    return target.dialect().supportsCopy() ? new CopyBatchLoader(target) : new InsertBatchLoader(target);
  }
}

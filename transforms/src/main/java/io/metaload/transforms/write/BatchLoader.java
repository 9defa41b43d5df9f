package io.metaload.transforms.write;

import io.metaload.transforms.batch.RowBatch;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Loads a batch's rows into the staging table on a connection whose transaction the caller owns.
 */
interface BatchLoader {
  /** Loads the batch; returns the rows written and the bytes sent. */
  Loaded load(Connection connection, RowBatch batch) throws SQLException;

  /**
   * What one load sent: rows, and bytes of row data (-1 where the loader cannot tell, as for INSERT
   * statements).
   */
  @com.google.auto.value.AutoValue
  abstract class Loaded {
    abstract long rows();

    abstract long bytes();

    static Loaded of(long rows, long bytes) {
      return new AutoValue_BatchLoader_Loaded(rows, bytes);
    }
  }

  static BatchLoader forTarget(StagingTarget target) {
    return target.dialect().supportsCopy()
        ? new CopyBatchLoader(target)
        : new InsertBatchLoader(target);
  }
}

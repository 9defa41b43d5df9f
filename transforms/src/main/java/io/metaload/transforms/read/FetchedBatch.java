package io.metaload.transforms.read;

import io.metaload.metadata.plan.ReadUnit;
import io.metaload.transforms.batch.RowBatch;

/**
 * Rows one keyset query returned, in key order, before they are claimed: the reader needs each
 * row's split-key position, and a prefix of the rows once claims decide where the batch ends.
 */
interface FetchedBatch {
  int size();

  long position(int row);

  /** The first {@code rows} rows. */
  FetchedBatch prefix(int rows);

  /** The rows as the batch that stands for the key range {@code [rangeFrom, rangeTo)}. */
  RowBatch toRowBatch(
      ReadUnit unit, long rangeFrom, long rangeTo, long readStartedMillis, int readRetries);
}

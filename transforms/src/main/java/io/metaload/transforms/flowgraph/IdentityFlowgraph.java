package io.metaload.transforms.flowgraph;

import io.metaload.transforms.batch.RowBatch;
import org.apache.beam.sdk.values.PCollection;

/**
 * Passes batches through unchanged and rejects nothing. It adds no step at all, so batches from the
 * reader (decoded or PostgreSQL binary COPY tuples) reach the writer in the same task.
 */
final class IdentityFlowgraph extends Flowgraph {
  private static final long serialVersionUID = 1L;

  IdentityFlowgraph() {
    super("identity");
  }

  @Override
  public PCollection<RowBatch> expand(PCollection<RowBatch> input) {
    return input;
  }
}

package io.metaload.transforms.flowgraph;

import io.metaload.transforms.batch.RowBatch;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Passes batches through unchanged and rejects nothing. It adds no step at all: a multi-output
 * step in between would make the Flink runner ship every batch over its network stack instead
 * of handing it to the writer in the same task.
 */
final class IdentityFlowgraph extends Flowgraph {
  private static final long serialVersionUID = 1L;

  IdentityFlowgraph() {
    super("identity");
  }

  @Override
  public PCollectionTuple expand(PCollection<RowBatch> input) {
    PCollection<RejectedRow> none = input.getPipeline().apply("NoRejects", Create.empty(SerializableCoder.of(RejectedRow.class)));
    return PCollectionTuple.of(MAIN, input).and(REJECTS, none);
  }
}

package io.metaload.transforms.flowgraph;

import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.batch.RowBatchCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/** Passes batches through unchanged and rejects nothing. */
final class IdentityFlowgraph extends Flowgraph {
  private static final long serialVersionUID = 1L;

  IdentityFlowgraph() {
    super("identity");
  }

  @Override
  public PCollectionTuple expand(PCollection<RowBatch> input) {
    PCollectionTuple out = input.apply("PassThrough",
        ParDo.of(new PassThroughFn()).withOutputTags(MAIN, TupleTagList.of(REJECTS)));
    out.get(MAIN).setCoder(RowBatchCoder.of());
    out.get(REJECTS).setCoder(SerializableCoder.of(RejectedRow.class));
    return out;
  }

  private static final class PassThroughFn extends DoFn<RowBatch, RowBatch> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element RowBatch batch, MultiOutputReceiver out) {
      out.get(MAIN).output(batch);
    }
  }
}

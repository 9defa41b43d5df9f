package io.metaload.transforms.flowgraph;

import io.metaload.transforms.batch.RowBatch;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * A transformation of row batches chosen by name in a load definition. Its output tuple holds
 * the transformed batches under {@link #MAIN} and refused rows under {@link #REJECTS}; a batch
 * keeps its identity and {@link RowBatch#rowsRead()}, whatever rows it loses.
 */
public abstract class Flowgraph extends PTransform<PCollection<RowBatch>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  public static final TupleTag<RowBatch> MAIN = new TupleTag<RowBatch>() {};
  public static final TupleTag<RejectedRow> REJECTS = new TupleTag<RejectedRow>() {};

  protected Flowgraph(String name) {
    super(name);
  }
}

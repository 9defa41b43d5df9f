package io.metaload.transforms.flowgraph;

import io.metaload.transforms.batch.RowBatch;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * A transformation of row batches chosen by name in a load definition. A batch keeps its identity
 * and {@link RowBatch#rowsRead()}, whatever rows it loses; rows a step rejects travel in {@link
 * RowBatch#rejects()} to the writer, which records them with the batch.
 *
 * <pre>{@code
 * PCollection<RowBatch> clean = batches.apply(Flowgraphs.over(plan.flowgraph(), plan.sourceSchema()));
 * }</pre>
 */
public abstract class Flowgraph extends PTransform<PCollection<RowBatch>, PCollection<RowBatch>> {
  private static final long serialVersionUID = 1L;

  protected Flowgraph(String name) {
    super(name);
  }
}

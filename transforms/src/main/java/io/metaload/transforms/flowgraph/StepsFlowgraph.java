package io.metaload.transforms.flowgraph;

import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.batch.RowBatchCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * A flowgraph with steps: one DoFn with one output, so that on the Flink runner it is chained to
 * the reader and the writer and batches pass between them without being serialised.
 */
final class StepsFlowgraph extends Flowgraph {
  private static final long serialVersionUID = 1L;

  private final StepChain chain;

  StepsFlowgraph(StepChain chain) {
    super(chain.definition.name());
    this.chain = chain;
  }

  @Override
  public PCollection<RowBatch> expand(PCollection<RowBatch> input) {
    return input
        .apply("ApplySteps", ParDo.of(new ApplyStepsFn(chain)))
        .setCoder(RowBatchCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("flowgraph", chain.definition.name()))
        .add(DisplayData.item("version", chain.definition.version()))
        .add(DisplayData.item("steps", chain.definition.steps().size()));
  }

  /** Compiles the steps once per DoFn instance and applies them to each batch. */
  static final class ApplyStepsFn extends DoFn<RowBatch, RowBatch> {
    private static final long serialVersionUID = 1L;

    private final StepChain chain;
    private transient FlowgraphExecutor executor;

    ApplyStepsFn(StepChain chain) {
      this.chain = chain;
    }

    @Setup
    public void setup() {
      executor = new FlowgraphExecutor(chain);
    }

    @ProcessElement
    public void process(@Element RowBatch batch, OutputReceiver<RowBatch> out) {
      out.output(batch.isCopyBinary() ? batch : executor.apply(batch));
    }
  }
}

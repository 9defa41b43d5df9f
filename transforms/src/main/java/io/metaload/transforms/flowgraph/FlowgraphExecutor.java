package io.metaload.transforms.flowgraph;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.store.RejectRecord;
import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.batch.RowJson;
import java.util.ArrayList;
import java.util.List;

/**
 * A flowgraph compiled for one worker: runs every step on each row of a batch in one loop (no
 * element per row, no intermediate batch), and hands rejected rows, with step, reason and the row
 * as it reached that step, to the output batch, which carries them to the writer.
 */
final class FlowgraphExecutor {
  private final StepChain chain;
  private final RowFunction[] functions;
  private final String[] stepNames;
  private final ColumnType[] outputTypes;
  private final RowVerdict verdict = new RowVerdict();

  FlowgraphExecutor(StepChain chain) {
    this.chain = chain;
    this.functions = new RowFunction[chain.steps.size()];
    this.stepNames = new String[functions.length];
    for (int i = 0; i < functions.length; i++) {
      functions[i] = chain.steps.get(i).compile(chain.stages.get(i));
      stepNames[i] = chain.definition.steps().get(i).name();
    }
    List<Column> output = chain.stages.get(functions.length);
    outputTypes = new ColumnType[output.size()];
    for (int i = 0; i < outputTypes.length; i++) {
      outputTypes[i] = output.get(i).type();
    }
  }

  RowBatch apply(RowBatch batch) {
    List<Object[]> in = batch.rows();
    List<Object[]> out = new ArrayList<>(in.size());
    List<RejectRecord> rejects = new ArrayList<>(batch.rejects());
    for (int r = 0; r < in.size(); r++) {
      Object[] row = in.get(r);
      for (int s = 0; s < functions.length && row != null; s++) {
        verdict.clear();
        Object[] next;
        try {
          next = functions[s].apply(row, verdict);
        } catch (RuntimeException e) {
          verdict.reject(e.getClass().getSimpleName() + ": " + e.getMessage());
          next = null;
        }
        if (next == null && verdict.reason() != null) {
          rejects.add(
              RejectRecord.of(
                  batch.runId(),
                  batch.loadName(),
                  batch.partitionId(),
                  batch.batchId(),
                  r,
                  stepNames[s],
                  verdict.reason(),
                  render(row, s)));
        }
        row = next;
      }
      if (row != null) {
        out.add(row);
      }
    }
    return batch.withRows(outputTypes, out, rejects);
  }

  /**
   * The row as step {@code stage} received it, as a JSON object, with hashed and masked columns
   * hidden.
   */
  private String render(Object[] row, int stage) {
    return RowJson.render(StepColumns.names(chain.stages.get(stage)), row, chain.hidden.get(stage));
  }
}

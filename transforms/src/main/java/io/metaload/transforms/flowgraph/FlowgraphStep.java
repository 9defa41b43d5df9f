package io.metaload.transforms.flowgraph;

import io.metaload.metadata.schema.Column;
import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * One step of a flowgraph, configured from its arguments. It is typed once at plan time against the
 * columns it receives ({@link #outputColumns}), then compiled once per worker into a {@link
 * RowFunction} that the fused executor calls for every row of every batch.
 *
 * <p>A custom step implements this interface and a {@link StepType} that names it, and lists the
 * {@code StepType} in {@code META-INF/services/io.metaload.transforms.flowgraph.StepType}:
 *
 * <pre>{@code
 * public final class UpperCountry implements FlowgraphStep {
 *   public List<Column> outputColumns(List<Column> input) {
 *     StepColumns.require(input, "country");
 *     return input;
 *   }
 *
 *   public RowFunction compile(List<Column> input) {
 *     int country = StepColumns.indexOf(input, "country");
 *     return (row, verdict) -> {
 *       Object[] out = row.clone();
 *       if (out[country] != null) {
 *         out[country] = ((String) out[country]).toUpperCase(Locale.ROOT);
 *       }
 *       return out;
 *     };
 *   }
 * }
 * }</pre>
 */
public interface FlowgraphStep extends Serializable {
  /**
   * The columns this step emits for {@code input}, in order. Throws {@link StepConfigException}
   * naming the column or argument when the step cannot apply to these columns.
   */
  List<Column> outputColumns(List<Column> input);

  /**
   * A row function for {@code input} (the columns {@link #outputColumns} was given), built once per
   * worker.
   */
  RowFunction compile(List<Column> input);

  /**
   * The input column an output column carries, possibly renamed or cleaned; null for a column the
   * step computes. By default a column carries the input column of the same name.
   */
  default String originOf(String outputColumn, List<Column> input) {
    return StepColumns.indexOf(input, outputColumn) >= 0
        ? input.get(StepColumns.indexOf(input, outputColumn)).name()
        : null;
  }

  /**
   * Input columns whose values must never appear in clear in a reject (the inputs of a hash or
   * mask).
   */
  default Set<String> hiddenColumns() {
    return Set.of();
  }
}

package io.metaload.transforms.flowgraph.steps;

import io.metaload.metadata.schema.Column;
import io.metaload.transforms.flowgraph.FlowgraphStep;
import io.metaload.transforms.flowgraph.RowFunction;
import io.metaload.transforms.flowgraph.StepColumns;
import io.metaload.transforms.flowgraph.StepConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A step that replaces each non-NULL value of some columns by a function of it alone (trim, mask,
 * hash).
 */
abstract class ColumnValuesStep implements FlowgraphStep {
  private static final long serialVersionUID = 1L;

  final List<String> columns;
  private final boolean hides;

  /**
   * @param hides true when the new values stand for secrets (hash, mask): a reject never shows
   *     these columns
   */
  ColumnValuesStep(List<String> columns, boolean hides) {
    this.columns = List.copyOf(columns);
    this.hides = hides;
  }

  @Override
  public final Set<String> hiddenColumns() {
    return hides ? Set.copyOf(columns) : Set.of();
  }

  /**
   * The output column for {@code input}, or a {@link StepConfigException} when the step does not
   * apply to it.
   */
  abstract Column output(Column input);

  /** The value function, built once per worker. */
  abstract UnaryOperator<Object> values();

  @Override
  public final List<Column> outputColumns(List<Column> input) {
    List<Column> out = new ArrayList<>(input);
    for (String name : columns) {
      out.set(
          StepColumns.indexOf(input, StepColumns.require(input, name).name()),
          output(StepColumns.require(input, name)));
    }
    return out;
  }

  @Override
  public final RowFunction compile(List<Column> input) {
    int[] indexes = columns.stream().mapToInt(n -> StepColumns.indexOf(input, n)).toArray();
    UnaryOperator<Object> f = values();
    return (row, verdict) -> {
      Object[] out = row.clone();
      for (int i : indexes) {
        if (out[i] != null) {
          out[i] = f.apply(out[i]);
        }
      }
      return out;
    };
  }

  /**
   * The column itself, when it is text; otherwise a {@link StepConfigException} saying what to do.
   */
  static Column text(Column c, String hint) {
    if (!c.type().family().equals("text")) {
      throw new StepConfigException(
          "column '"
              + c.name()
              + "' is "
              + c.type().name().toLowerCase(Locale.ROOT)
              + ", not text"
              + hint);
    }
    return c;
  }
}

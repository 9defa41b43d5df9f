package io.metaload.transforms.flowgraph;

import io.metaload.metadata.schema.Column;
import java.util.List;
import java.util.Locale;

/** A custom step as a user would write one: upper-cases a text column named by its argument. */
public final class UpperCountryStep implements FlowgraphStep {
  private static final long serialVersionUID = 1L;

  private final String column;

  UpperCountryStep(String column) {
    this.column = column;
  }

  @Override
  public List<Column> outputColumns(List<Column> input) {
    StepColumns.require(input, column);
    return input;
  }

  @Override
  public RowFunction compile(List<Column> input) {
    int at = StepColumns.indexOf(input, column);
    return (row, verdict) -> {
      Object[] out = row.clone();
      if (out[at] != null) {
        out[at] = ((String) out[at]).toUpperCase(Locale.ROOT);
      }
      return out;
    };
  }

  /**
   * Registered in {@code
   * src/test/resources/META-INF/services/io.metaload.transforms.flowgraph.StepType}.
   */
  public static final class Type implements StepType {
    @Override
    public String name() {
      return "upper-country";
    }

    @Override
    public FlowgraphStep create(StepArguments arguments) {
      return new UpperCountryStep(arguments.text("a column name"));
    }
  }
}

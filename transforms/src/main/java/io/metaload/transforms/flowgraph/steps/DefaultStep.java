package io.metaload.transforms.flowgraph.steps;

import io.metaload.metadata.schema.Column;
import io.metaload.transforms.flowgraph.FlowgraphStep;
import io.metaload.transforms.flowgraph.RowFunction;
import io.metaload.transforms.flowgraph.StepArguments;
import io.metaload.transforms.flowgraph.StepColumns;
import io.metaload.transforms.flowgraph.StepConfigException;
import io.metaload.transforms.flowgraph.StepType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code default: { status: new, amount: 0 }}: replaces NULL by a value, parsed as the column's
 * type at plan time.
 */
public final class DefaultStep implements FlowgraphStep {
  private static final long serialVersionUID = 1L;

  private final LinkedHashMap<String, String> defaults;

  DefaultStep(Map<String, String> defaults) {
    this.defaults = new LinkedHashMap<>(defaults);
  }

  @Override
  public List<Column> outputColumns(List<Column> input) {
    List<Column> out = new ArrayList<>(input);
    for (Map.Entry<String, String> e : defaults.entrySet()) {
      Column c = StepColumns.require(input, e.getKey());
      value(c, e.getValue());
      out.set(
          StepColumns.indexOf(input, e.getKey()),
          Column.of(c.name(), c.type(), c.size(), c.scale(), false, c.fixedLength(), c.typeName()));
    }
    return out;
  }

  private static Object value(Column c, String literal) {
    try {
      return ValueCast.cast(c.type().parse(literal), c.type(), c);
    } catch (IllegalArgumentException | ValueCast.CastFailure e) {
      throw new StepConfigException("default for column '" + c.name() + "': " + e.getMessage());
    }
  }

  @Override
  public RowFunction compile(List<Column> input) {
    int[] indexes = new int[defaults.size()];
    Object[] values = new Object[indexes.length];
    int k = 0;
    for (Map.Entry<String, String> e : defaults.entrySet()) {
      indexes[k] = StepColumns.indexOf(input, e.getKey());
      values[k] = value(input.get(indexes[k]), e.getValue());
      k++;
    }
    return (row, verdict) -> {
      Object[] out = row;
      for (int i = 0; i < indexes.length; i++) {
        if (row[indexes[i]] == null) {
          out = out == row ? row.clone() : out;
          out[indexes[i]] = values[i];
        }
      }
      return out;
    };
  }

  /** Registers {@code default}. */
  public static final class Type implements StepType {
    @Override
    public String name() {
      return "default";
    }

    @Override
    public FlowgraphStep create(StepArguments arguments) {
      Map<String, String> defaults = arguments.mapping(null);
      defaults.forEach(
          (column, value) -> {
            if (value == null) {
              throw new StepConfigException(
                  "the default for '" + column + "' is null; give a value");
            }
          });
      return new DefaultStep(defaults);
    }
  }
}

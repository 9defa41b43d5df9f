package io.metaload.transforms.flowgraph.steps;

import io.metaload.metadata.schema.Column;
import io.metaload.transforms.flowgraph.FlowgraphStep;
import io.metaload.transforms.flowgraph.RowFunction;
import io.metaload.transforms.flowgraph.StepArguments;
import io.metaload.transforms.flowgraph.StepColumns;
import io.metaload.transforms.flowgraph.StepConfigException;
import io.metaload.transforms.flowgraph.StepType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code select: [id, name]} keeps these columns in this order; {@code drop: [note]} keeps all
 * others.
 */
public final class SelectStep implements FlowgraphStep {
  private static final long serialVersionUID = 1L;

  private final List<String> columns;
  private final boolean drop;

  SelectStep(List<String> columns, boolean drop) {
    this.columns = List.copyOf(columns);
    this.drop = drop;
  }

  @Override
  public List<Column> outputColumns(List<Column> input) {
    List<Column> out = new ArrayList<>();
    for (String name : columns) {
      Column c = StepColumns.require(input, name);
      if (!drop) {
        out.add(c);
      }
    }
    if (drop) {
      for (Column c : input) {
        if (columns.stream().noneMatch(n -> n.equalsIgnoreCase(c.name()))) {
          out.add(c);
        }
      }
    }
    if (out.isEmpty()) {
      throw new StepConfigException("leaves no column");
    }
    if (out.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).distinct().count() != out.size()) {
      throw new StepConfigException("names a column twice: " + columns);
    }
    return out;
  }

  @Override
  public RowFunction compile(List<Column> input) {
    List<Column> out = outputColumns(input);
    int[] from = new int[out.size()];
    for (int i = 0; i < from.length; i++) {
      from[i] = StepColumns.indexOf(input, out.get(i).name());
    }
    return (row, verdict) -> {
      Object[] projected = new Object[from.length];
      for (int i = 0; i < from.length; i++) {
        projected[i] = row[from[i]];
      }
      return projected;
    };
  }

  /** Registers {@code select}. */
  public static final class Select implements StepType {
    @Override
    public String name() {
      return "select";
    }

    @Override
    public FlowgraphStep create(StepArguments arguments) {
      return new SelectStep(arguments.strings(null), false);
    }
  }

  /** Registers {@code drop}. */
  public static final class Drop implements StepType {
    @Override
    public String name() {
      return "drop";
    }

    @Override
    public FlowgraphStep create(StepArguments arguments) {
      return new SelectStep(arguments.strings(null), true);
    }
  }
}

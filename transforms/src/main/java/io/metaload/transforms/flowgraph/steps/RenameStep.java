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
import java.util.Locale;
import java.util.Map;

/** {@code rename: { cust: customer_id }}: new names for columns; values and order stay. */
public final class RenameStep implements FlowgraphStep {
  private static final long serialVersionUID = 1L;

  private final LinkedHashMap<String, String> renames;

  RenameStep(Map<String, String> renames) {
    this.renames = new LinkedHashMap<>(renames);
  }

  @Override
  public List<Column> outputColumns(List<Column> input) {
    List<Column> out = new ArrayList<>(input);
    for (Map.Entry<String, String> e : renames.entrySet()) {
      int i = StepColumns.indexOf(input, e.getKey());
      StepColumns.require(input, e.getKey());
      Column c = input.get(i);
      out.set(
          i,
          Column.of(
              e.getValue(),
              c.type(),
              c.size(),
              c.scale(),
              c.nullable(),
              c.fixedLength(),
              c.typeName()));
    }
    List<String> seen = new ArrayList<>();
    for (Column c : out) {
      if (seen.contains(c.name().toLowerCase(Locale.ROOT))) {
        throw new StepConfigException("renaming gives two columns called '" + c.name() + "'");
      }
      seen.add(c.name().toLowerCase(Locale.ROOT));
    }
    return out;
  }

  @Override
  public RowFunction compile(List<Column> input) {
    return (row, verdict) -> row;
  }

  @Override
  public String originOf(String outputColumn, List<Column> input) {
    for (Map.Entry<String, String> e : renames.entrySet()) {
      if (e.getValue().equalsIgnoreCase(outputColumn)) {
        return input.get(StepColumns.indexOf(input, e.getKey())).name();
      }
    }
    boolean renamedAway = renames.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(outputColumn));
    return renamedAway ? null : FlowgraphStep.super.originOf(outputColumn, input);
  }

  /** Registers {@code rename}. */
  public static final class Type implements StepType {
    @Override
    public String name() {
      return "rename";
    }

    @Override
    public FlowgraphStep create(StepArguments arguments) {
      Map<String, String> renames = arguments.mapping(null);
      renames.forEach(
          (from, to) -> {
            if (to == null || to.isBlank()) {
              throw new StepConfigException("'" + from + "' must map to a new column name");
            }
          });
      return new RenameStep(renames);
    }
  }
}

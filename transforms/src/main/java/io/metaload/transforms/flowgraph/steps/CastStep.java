package io.metaload.transforms.flowgraph.steps;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
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

/**
 * {@code cast: { amount: decimal(12,2), code: varchar(8) }}: converts values with the target type's
 * rules; a value that does not convert (text that is no number, too many digits, too long) rejects
 * its row with the reason.
 */
public final class CastStep implements FlowgraphStep {
  private static final long serialVersionUID = 1L;

  private final LinkedHashMap<String, String> casts;

  CastStep(Map<String, String> casts) {
    this.casts = new LinkedHashMap<>(casts);
  }

  @Override
  public List<Column> outputColumns(List<Column> input) {
    List<Column> out = new ArrayList<>(input);
    for (Map.Entry<String, String> e : casts.entrySet()) {
      Column from = StepColumns.require(input, e.getKey());
      Column to = ValueCast.column(from.name(), e.getValue(), from.nullable());
      if (!ValueCast.castable(from.type(), to.type())) {
        throw new StepConfigException(
            "column '"
                + from.name()
                + "' is "
                + from.type().name().toLowerCase(Locale.ROOT)
                + " and cannot be cast to "
                + e.getValue());
      }
      out.set(StepColumns.indexOf(input, e.getKey()), to);
    }
    return out;
  }

  @Override
  public RowFunction compile(List<Column> input) {
    List<Column> out = outputColumns(input);
    int[] indexes = new int[casts.size()];
    ColumnType[] from = new ColumnType[indexes.length];
    Column[] to = new Column[indexes.length];
    int k = 0;
    for (String name : casts.keySet()) {
      indexes[k] = StepColumns.indexOf(input, name);
      from[k] = input.get(indexes[k]).type();
      to[k] = out.get(indexes[k]);
      k++;
    }
    return (row, verdict) -> {
      Object[] cast = row.clone();
      for (int i = 0; i < indexes.length; i++) {
        try {
          cast[indexes[i]] = ValueCast.cast(row[indexes[i]], from[i], to[i]);
        } catch (ValueCast.CastFailure f) {
          verdict.reject("column " + to[i].name() + ": " + f.getMessage());
          return null;
        }
      }
      return cast;
    };
  }

  /** Registers {@code cast}. */
  public static final class Type implements StepType {
    @Override
    public String name() {
      return "cast";
    }

    @Override
    public FlowgraphStep create(StepArguments arguments) {
      Map<String, String> casts = arguments.mapping(null);
      casts.forEach((column, type) -> ValueCast.column(column, type == null ? "" : type, true));
      return new CastStep(casts);
    }
  }
}

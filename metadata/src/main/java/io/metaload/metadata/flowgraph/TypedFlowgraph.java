package io.metaload.metadata.flowgraph;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.TableSchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A flowgraph applied to a source schema at plan time: the columns it stages, in order, and for
 * each the source column whose value it carries (renamed, cast or cleaned), or an empty string for
 * a computed column. The output's primary key is the source's, where every key column is carried.
 */
@AutoValue
public abstract class TypedFlowgraph implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract FlowgraphDefinition definition();

  public abstract TableSchema output();

  /** One entry per output column: its source column, or "" when computed. */
  public abstract List<String> origins();

  public static TypedFlowgraph of(
      FlowgraphDefinition definition, TableSchema output, List<String> origins) {
    if (output.columns().size() != origins.size()) {
      throw new IllegalArgumentException(
          output.columns().size() + " output columns but " + origins.size() + " origins");
    }
    return new AutoValue_TypedFlowgraph(definition, output, List.copyOf(origins));
  }

  /** The identity flowgraph over {@code source}: every column, unchanged. */
  public static TypedFlowgraph identity(TableSchema source) {
    List<String> origins = new ArrayList<>();
    source.columns().forEach(c -> origins.add(c.name()));
    return of(FlowgraphDefinition.IDENTITY, source, origins);
  }

  /** The output column carrying source column {@code sourceName} (case-insensitive), if any. */
  public Optional<Column> carrying(String sourceName) {
    for (int i = 0; i < origins().size(); i++) {
      if (origins().get(i).equalsIgnoreCase(sourceName)) {
        return Optional.of(output().columns().get(i));
      }
    }
    return Optional.empty();
  }
}

package io.metaload.transforms.flowgraph;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.flowgraph.FlowgraphDefinition;
import io.metaload.metadata.flowgraph.StepSpec;
import io.metaload.metadata.flowgraph.TypedFlowgraph;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.TableSchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A flowgraph's steps created from their definitions and typed one after the other against the
 * source columns: what each step receives, what the flowgraph emits, and which source column each
 * output column carries. Every error names flowgraph, step and the field or column.
 */
final class StepChain implements Serializable {
  private static final long serialVersionUID = 1L;

  final FlowgraphDefinition definition;
  final List<FlowgraphStep> steps;

  /** The columns each step receives; one more entry at the end: the flowgraph's output. */
  final List<List<Column>> stages;

  final TypedFlowgraph typed;

  /** Per stage, which columns a reject must not show. */
  final List<boolean[]> hidden;

  private StepChain(
      FlowgraphDefinition definition,
      List<FlowgraphStep> steps,
      List<List<Column>> stages,
      TypedFlowgraph typed,
      List<boolean[]> hidden) {
    this.definition = definition;
    this.steps = steps;
    this.stages = stages;
    this.typed = typed;
    this.hidden = hidden;
  }

  static StepChain of(FlowgraphDefinition definition, TableSchema source) {
    return of(definition, source, Set.of());
  }

  /**
   * @param hiddenSources source columns a reject must never show (e.g. a contract's PII columns),
   *     whatever the steps do
   */
  static StepChain of(
      FlowgraphDefinition definition, TableSchema source, Set<String> hiddenSources) {
    List<FlowgraphStep> steps = new ArrayList<>();
    List<List<Column>> stages = new ArrayList<>();
    List<List<String>> origins = new ArrayList<>();
    List<Column> columns = source.columns();
    List<String> origin = new ArrayList<>();
    for (Column c : columns) {
      origin.add(c.name());
    }
    stages.add(columns);
    origins.add(origin);
    Set<String> hiddenOrigins = new HashSet<>();
    hiddenSources.forEach(h -> hiddenOrigins.add(h.toLowerCase(Locale.ROOT)));
    for (StepSpec spec : definition.steps()) {
      FlowgraphStep step;
      List<Column> out;
      try {
        step =
            StepTypes.named(definition.name(), spec.name(), spec.type())
                .create(new StepArguments(spec.arguments()));
        out = List.copyOf(step.outputColumns(columns));
      } catch (StepConfigException | IllegalArgumentException e) {
        throw MetaloadException.badConfig(
            "flowgraph '"
                + definition.name()
                + "', step '"
                + spec.name()
                + "' ("
                + spec.type()
                + "): "
                + e.getMessage(),
            e);
      }
      List<String> next = new ArrayList<>();
      for (Column c : out) {
        String from = step.originOf(c.name(), columns);
        int at = from == null ? -1 : StepColumns.indexOf(columns, from);
        next.add(at < 0 ? "" : origin.get(at));
      }
      for (String name : step.hiddenColumns()) {
        int at = StepColumns.indexOf(columns, name);
        if (at >= 0 && !origin.get(at).isEmpty()) {
          hiddenOrigins.add(origin.get(at).toLowerCase(Locale.ROOT));
        }
      }
      steps.add(step);
      columns = out;
      origin = next;
      stages.add(columns);
      origins.add(origin);
    }
    List<boolean[]> hidden = new ArrayList<>();
    for (List<String> stage : origins) {
      boolean[] h = new boolean[stage.size()];
      for (int i = 0; i < h.length; i++) {
        h[i] = hiddenOrigins.contains(stage.get(i).toLowerCase(Locale.ROOT));
      }
      hidden.add(h);
    }
    TableSchema output = TableSchema.of(columns, outputKey(source, columns, origin));
    return new StepChain(
        definition, steps, stages, TypedFlowgraph.of(definition, output, origin), hidden);
  }

  /**
   * The source's primary key as output columns, when the flowgraph carries all of it; else none.
   */
  private static List<String> outputKey(
      TableSchema source, List<Column> output, List<String> origins) {
    List<String> key = new ArrayList<>();
    for (String k : source.primaryKey()) {
      int at = -1;
      for (int i = 0; i < origins.size(); i++) {
        if (origins.get(i).equalsIgnoreCase(k)) {
          at = i;
        }
      }
      if (at < 0) {
        return List.of();
      }
      key.add(output.get(at).name());
    }
    return key;
  }
}

package io.metaload.transforms.flowgraph;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.flowgraph.FlowgraphDefinition;
import io.metaload.metadata.flowgraph.FlowgraphTyping;
import io.metaload.metadata.flowgraph.StepSpec;
import io.metaload.metadata.flowgraph.TypedFlowgraph;
import io.metaload.metadata.schema.TableSchema;
import io.metaload.transforms.batch.RowBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Entry points to flowgraphs, for the loader and for a user's own Beam pipeline.
 *
 * <pre>{@code
 * // From metadata, as the loader does:
 * TypedFlowgraph typed = Flowgraphs.type(store.flowgraphs().get("orders_clean"), sourceSchema);
 * PCollection<RowBatch> clean = batches.apply(Flowgraphs.over(typed, sourceSchema));
 *
 * // In code:
 * Flowgraph f = Flowgraphs.builder("orders_clean")
 *     .step("rename", Map.of("cust", "customer_id"))
 *     .step("filter", "amount > 0")
 *     .step("require", Map.of("column", "customer_id", "notNull", true))
 *     .over(sourceSchema);
 * }</pre>
 */
public final class Flowgraphs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Flowgraphs() {}

  /**
   * Creates and types the steps of {@code definition} against {@code source}; a bad-config error
   * names flowgraph, step and field for an unknown step, argument, column or type.
   */
  public static TypedFlowgraph type(FlowgraphDefinition definition, TableSchema source) {
    return definition.isIdentity()
        ? TypedFlowgraph.identity(source)
        : StepChain.of(definition, source).typed;
  }

  /**
   * Checks that every step of {@code definition} exists and takes its arguments, without a schema
   * (for imports).
   */
  public static void check(FlowgraphDefinition definition) {
    for (StepSpec spec : definition.steps()) {
      try {
        StepTypes.named(definition.name(), spec.name(), spec.type())
            .create(new StepArguments(spec.arguments()));
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
    }
  }

  /**
   * The transform that applies {@code typed} to batches read with the columns of {@code source}.
   */
  public static Flowgraph over(TypedFlowgraph typed, TableSchema source) {
    return over(typed, source, Set.of());
  }

  /**
   * As {@link #over(TypedFlowgraph, TableSchema)}, never showing the source columns {@code hidden}
   * in a reject.
   */
  public static Flowgraph over(TypedFlowgraph typed, TableSchema source, Set<String> hidden) {
    return typed.definition().isIdentity()
        ? new IdentityFlowgraph()
        : new StepsFlowgraph(StepChain.of(typed.definition(), source, hidden));
  }

  /**
   * {@code typed} as a function over one batch, for rows read outside a pipeline (a window's moved
   * rows read again at publication): the same steps, and rejects, as {@link #over} runs.
   */
  public static UnaryOperator<RowBatch> rows(
      TypedFlowgraph typed, TableSchema source, Set<String> hidden) {
    if (typed.definition().isIdentity()) {
      return UnaryOperator.identity();
    }
    FlowgraphExecutor executor =
        new FlowgraphExecutor(StepChain.of(typed.definition(), source, hidden));
    return executor::apply;
  }

  /**
   * Typing for the planner: looks a load's flowgraph up by name with {@code lookup} and types it.
   */
  public static FlowgraphTyping typing(Function<String, FlowgraphDefinition> lookup) {
    return (d, source) -> {
      FlowgraphDefinition definition =
          d.flowgraph().equals(FlowgraphDefinition.IDENTITY_NAME)
              ? FlowgraphDefinition.IDENTITY
              : lookup.apply(d.flowgraph());
      try {
        return type(definition, source);
      } catch (MetaloadException e) {
        throw e.withLoad(d.name());
      }
    };
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a flowgraph in code, step by step, with the arguments a YAML step would have. */
  public static final class Builder {
    private final String name;
    private final List<StepSpec> steps = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /** Adds a step; {@code arguments} is what YAML would hold: a map, a list or a single value. */
    public Builder step(String type, Object arguments) {
      steps.add(StepSpec.of(type, (steps.size() + 1) + "-" + type, JSON.valueToTree(arguments)));
      return this;
    }

    public FlowgraphDefinition definition() {
      return FlowgraphDefinition.of(name, 1, steps);
    }

    /** The flowgraph over batches with the columns of {@code source}. */
    public Flowgraph over(TableSchema source) {
      FlowgraphDefinition d = definition();
      return Flowgraphs.over(type(d, source), source);
    }
  }
}

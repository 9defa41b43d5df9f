package io.metaload.metadata.flowgraph;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.schema.TableSchema;

/**
 * Finds the flowgraph a load names and types it against the source schema, so the planner can size
 * the target and refuse a wrong column or type (exit 2) before any data moves. The planner knows no
 * step; the pipeline module supplies an implementation that does.
 */
@FunctionalInterface
public interface FlowgraphTyping {
  /** Knows only {@code identity}; any other name is a configuration error. */
  FlowgraphTyping IDENTITY_ONLY =
      (d, source) -> {
        if (!d.flowgraph().equals(FlowgraphDefinition.IDENTITY_NAME)) {
          throw MetaloadException.badConfig(
              "load '"
                  + d.name()
                  + "': field 'flowgraph': '"
                  + d.flowgraph()
                  + "' cannot be typed here (only 'identity' is known without the flowgraph library)");
        }
        return TypedFlowgraph.identity(source);
      };

  /**
   * The load's flowgraph applied to {@code source}; a bad-config error names flowgraph, step and
   * field.
   */
  TypedFlowgraph type(LoadDefinition definition, TableSchema source);
}

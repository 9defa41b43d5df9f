package io.metaload.metadata.flowgraph;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;

/**
 * A named, versioned, ordered list of steps that a load definition refers to by name. {@link
 * #IDENTITY} is the empty list and needs no definition. A run keeps the version it planned with, so
 * a resumed run applies the same steps even after the flowgraph was changed.
 *
 * <pre>
 * flowgraphs:
 *   - name: orders_clean
 *     steps:
 *       - rename: { cust: customer_id }
 *       - filter: "amount &gt; 0"
 *       - require: { column: customer_id, notNull: true }
 * </pre>
 */
@AutoValue
public abstract class FlowgraphDefinition implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String IDENTITY_NAME = "identity";
  public static final FlowgraphDefinition IDENTITY = of(IDENTITY_NAME, 0, List.of());

  public abstract String name();

  /** 1 for the first import, one more for each import that changed the steps; 0 for identity. */
  public abstract int version();

  public abstract List<StepSpec> steps();

  public static FlowgraphDefinition of(String name, int version, List<StepSpec> steps) {
    return new AutoValue_FlowgraphDefinition(name, version, List.copyOf(steps));
  }

  public FlowgraphDefinition withVersion(int version) {
    return of(name(), version, steps());
  }

  public boolean isIdentity() {
    return steps().isEmpty();
  }

  /** Same steps, whatever the versions. */
  public boolean sameSteps(FlowgraphDefinition other) {
    return name().equals(other.name()) && steps().equals(other.steps());
  }
}

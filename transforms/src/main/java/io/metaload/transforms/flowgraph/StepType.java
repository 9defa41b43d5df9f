package io.metaload.transforms.flowgraph;

/**
 * A kind of step that flowgraph definitions name ({@code rename}, {@code filter}, ...), found on
 * the class path with {@link java.util.ServiceLoader}. Built-in and custom steps register the same
 * way.
 */
public interface StepType {
  /** The key a YAML step uses, e.g. {@code rename}. */
  String name();

  /**
   * A step configured from its arguments; throws {@link StepConfigException} naming the argument
   * that is wrong.
   */
  FlowgraphStep create(StepArguments arguments);
}

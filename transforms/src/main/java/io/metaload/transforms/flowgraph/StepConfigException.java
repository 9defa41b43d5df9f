package io.metaload.transforms.flowgraph;

/**
 * A step's arguments or input columns do not fit; the flowgraph adds its own and the step's name.
 */
public final class StepConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StepConfigException(String message) {
    super(message);
  }

  public StepConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.metaload.metadata.flowgraph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.value.AutoValue;
import java.io.Serializable;

/**
 * One step of a flowgraph as written in metadata: its type ({@code rename}, {@code filter}, or a
 * custom step's name), a name unique within the flowgraph, and its arguments as canonical JSON.
 * What the arguments mean is the step type's business; this class only carries them.
 */
@AutoValue
public abstract class StepSpec implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  public abstract String type();

  /**
   * Names the step in rejects, errors and {@code status}; defaults to {@code <position>-<type>}.
   */
  public abstract String name();

  /** The step's arguments as JSON: a mapping, a list or a single value. */
  public abstract String argumentsJson();

  public static StepSpec of(String type, String name, JsonNode arguments) {
    try {
      return new AutoValue_StepSpec(type, name, JSON.writeValueAsString(arguments));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "step '" + name + "': arguments cannot be written as JSON", e);
    }
  }

  /** The arguments parsed again. */
  public JsonNode arguments() {
    try {
      return JSON.readTree(argumentsJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "step '" + name() + "': stored arguments are not JSON: " + argumentsJson(), e);
    }
  }
}

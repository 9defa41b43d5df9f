package io.metaload.transforms.flowgraph.steps;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.metaload.metadata.schema.Column;
import io.metaload.transforms.flowgraph.FlowgraphStep;
import io.metaload.transforms.flowgraph.RowFunction;
import io.metaload.transforms.flowgraph.RowVerdict;
import io.metaload.transforms.flowgraph.StepArguments;
import io.metaload.transforms.flowgraph.StepType;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates a step from YAML-like JSON arguments and runs it over rows, recording what it rejected.
 */
final class StepFixture {
  private static final ObjectMapper JSON = new ObjectMapper();

  final FlowgraphStep step;
  final List<Column> input;
  final List<String> rejected = new ArrayList<>();

  StepFixture(StepType type, String argumentsJson, List<Column> input) throws Exception {
    this.step = type.create(new StepArguments(JSON.readTree(argumentsJson)));
    this.input = input;
  }

  List<Column> output() {
    return step.outputColumns(input);
  }

  /** The rows the step emits; a rejected row adds its reason to {@link #rejected}. */
  List<Object[]> apply(Object[]... rows) {
    step.outputColumns(input);
    RowFunction f = step.compile(input);
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : rows) {
      RowVerdict verdict = new RowVerdict();
      Object[] result = f.apply(row, verdict);
      if (result != null) {
        out.add(result);
      } else if (verdict.reason() != null) {
        rejected.add(verdict.reason());
      }
    }
    return out;
  }
}

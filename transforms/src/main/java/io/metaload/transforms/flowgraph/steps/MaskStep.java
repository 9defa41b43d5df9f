package io.metaload.transforms.flowgraph.steps;

import io.metaload.metadata.schema.Column;
import io.metaload.transforms.flowgraph.FlowgraphStep;
import io.metaload.transforms.flowgraph.StepArguments;
import io.metaload.transforms.flowgraph.StepConfigException;
import io.metaload.transforms.flowgraph.StepType;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code mask: { columns: [phone], keep: 4, with: "*" }}: replaces every character but the last
 * {@code keep} (default 0) by {@code with}, keeping the length, so {@code +4915112345678} becomes
 * {@code **********5678}.
 */
public final class MaskStep extends ColumnValuesStep {
  private static final long serialVersionUID = 1L;

  private final int keep;
  private final String with;

  MaskStep(List<String> columns, int keep, String with) {
    super(columns, true);
    this.keep = keep;
    this.with = with;
  }

  @Override
  Column output(Column input) {
    return text(input, " (cast it to varchar first)");
  }

  @Override
  UnaryOperator<Object> values() {
    return v -> mask((String) v);
  }

  String mask(String s) {
    int length = s.codePointCount(0, s.length());
    int hidden = Math.max(0, length - keep);
    return with.repeat(hidden) + s.substring(s.offsetByCodePoints(0, hidden));
  }

  /** Registers {@code mask}. */
  public static final class Type implements StepType {
    @Override
    public String name() {
      return "mask";
    }

    @Override
    public FlowgraphStep create(StepArguments arguments) {
      if (arguments.isList() || arguments.isText()) {
        return new MaskStep(arguments.strings(null), 0, "*");
      }
      arguments.allowOnly("columns", "keep", "with");
      long keep = arguments.integer("keep", 0);
      if (keep < 0 || keep > 1000) {
        throw new StepConfigException("field 'keep' must be between 0 and 1000, was " + keep);
      }
      String with = arguments.string("with", "*");
      if (with.codePointCount(0, with.length()) != 1) {
        throw new StepConfigException("field 'with' must be one character, was '" + with + "'");
      }
      return new MaskStep(arguments.strings("columns"), (int) keep, with);
    }
  }
}

package io.metaload.transforms.flowgraph.steps;

import io.metaload.metadata.schema.Column;
import io.metaload.transforms.flowgraph.FlowgraphStep;
import io.metaload.transforms.flowgraph.RowFunction;
import io.metaload.transforms.flowgraph.StepArguments;
import io.metaload.transforms.flowgraph.StepConfigException;
import io.metaload.transforms.flowgraph.StepType;
import io.metaload.transforms.flowgraph.expr.Expression;
import java.util.List;

/**
 * {@code filter: "amount > 0 && status != 'test'"}: keeps the rows for which the expression is
 * true. False or NULL (a NULL operand) drops the row as SQL's {@code WHERE} does: it is filtered,
 * not rejected. An expression that fails on a row (division by zero) rejects it.
 */
public final class FilterStep implements FlowgraphStep {
  private static final long serialVersionUID = 1L;

  private final String expression;

  FilterStep(String expression) {
    this.expression = expression;
  }

  @Override
  public List<Column> outputColumns(List<Column> input) {
    Expression e = Expression.of(expression, input);
    if (e.resultType() != Boolean.class) {
      throw new StepConfigException(
          "expression '"
              + expression
              + "' is "
              + e.resultType().getSimpleName()
              + ", not a condition (boolean)");
    }
    return input;
  }

  @Override
  public RowFunction compile(List<Column> input) {
    Expression.Evaluator eval = Expression.of(expression, input).evaluator();
    return (row, verdict) -> {
      Object keep;
      try {
        keep = eval.evaluate(row);
      } catch (Expression.EvaluationException e) {
        verdict.reject(e.getMessage());
        return null;
      }
      return Boolean.TRUE.equals(keep) ? row : null;
    };
  }

  /** Registers {@code filter}. */
  public static final class Type implements StepType {
    @Override
    public String name() {
      return "filter";
    }

    @Override
    public FlowgraphStep create(StepArguments arguments) {
      if (arguments.isText()) {
        return new FilterStep(arguments.text("a condition"));
      }
      arguments.allowOnly("expression");
      return new FilterStep(arguments.string("expression"));
    }
  }
}

package io.metaload.transforms.flowgraph.steps;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.transforms.flowgraph.FlowgraphStep;
import io.metaload.transforms.flowgraph.RowFunction;
import io.metaload.transforms.flowgraph.StepArguments;
import io.metaload.transforms.flowgraph.StepColumns;
import io.metaload.transforms.flowgraph.StepConfigException;
import io.metaload.transforms.flowgraph.StepType;
import io.metaload.transforms.flowgraph.expr.Expression;
import io.metaload.transforms.flowgraph.expr.ExpressionTypes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code compute: { column: amount_eur, type: decimal(12,2), expression: "amount * rate" }}: a
 * column from an expression, appended, or replacing a column of that name. The result is cast to
 * {@code type}; a NULL operand gives NULL; a row whose result does not fit the type, or on which
 * the expression fails, is rejected.
 */
public final class ComputeStep implements FlowgraphStep {
  private static final long serialVersionUID = 1L;

  private final String column;
  private final String type;
  private final String expression;

  ComputeStep(String column, String type, String expression) {
    this.column = column;
    this.type = type;
    this.expression = expression;
  }

  @Override
  public List<Column> outputColumns(List<Column> input) {
    Expression e = Expression.of(expression, input);
    Column out = ValueCast.column(column, type, true);
    ColumnType resultType = typeOf(e.resultType());
    if (resultType == null || !ValueCast.castable(resultType, out.type())) {
      throw new StepConfigException(
          "expression '"
              + expression
              + "' gives "
              + e.resultType().getSimpleName()
              + ", which cannot be "
              + "stored in column '"
              + column
              + "' of type "
              + type);
    }
    List<Column> columns = new ArrayList<>(input);
    int existing = StepColumns.indexOf(input, column);
    if (existing >= 0) {
      columns.set(existing, out);
    } else {
      columns.add(out);
    }
    return columns;
  }

  /** The column type an expression result of class {@code c} is cast from; null for none. */
  private static ColumnType typeOf(Class<?> c) {
    for (ColumnType t :
        new ColumnType[] {
          ColumnType.BIGINT,
          ColumnType.DECIMAL,
          ColumnType.DOUBLE,
          ColumnType.BOOLEAN,
          ColumnType.STRING,
          ColumnType.DATE,
          ColumnType.TIMESTAMP,
          ColumnType.TIMESTAMP_TZ,
          ColumnType.TIME,
          ColumnType.UUID
        }) {
      if (ExpressionTypes.javaClass(t) == c) {
        return t;
      }
    }
    return Number.class.isAssignableFrom(c) ? ColumnType.DECIMAL : null;
  }

  @Override
  public RowFunction compile(List<Column> input) {
    Expression e = Expression.of(expression, input);
    Expression.Evaluator eval = e.evaluator();
    List<Column> output = outputColumns(input);
    int at = StepColumns.indexOf(output, column);
    Column target = output.get(at);
    boolean appended = output.size() > input.size();
    return (row, verdict) -> {
      Object value;
      try {
        Object result = eval.evaluate(row);
        value = result == null ? null : ValueCast.cast(result, typeOfValue(result), target);
      } catch (Expression.EvaluationException ex) {
        verdict.reject(ex.getMessage());
        return null;
      } catch (ValueCast.CastFailure f) {
        verdict.reject("column " + column + ": " + f.getMessage());
        return null;
      }
      Object[] out = appended ? Arrays.copyOf(row, row.length + 1) : row.clone();
      out[at] = value;
      return out;
    };
  }

  private static final ClassValue<ColumnType> VALUE_TYPES =
      new ClassValue<>() {
        @Override
        protected ColumnType computeValue(Class<?> c) {
          ColumnType t = typeOf(c);
          return t == null ? ColumnType.STRING : t;
        }
      };

  private static ColumnType typeOfValue(Object v) {
    return VALUE_TYPES.get(v.getClass());
  }

  /** Registers {@code compute}. */
  public static final class Type implements StepType {
    @Override
    public String name() {
      return "compute";
    }

    @Override
    public FlowgraphStep create(StepArguments arguments) {
      arguments.allowOnly("column", "type", "expression");
      String type = arguments.string("type");
      ValueCast.column("x", type, true);
      return new ComputeStep(arguments.string("column"), type, arguments.string("expression"));
    }
  }
}

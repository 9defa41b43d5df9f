package io.metaload.transforms.flowgraph.steps;

import io.metaload.metadata.schema.Column;
import io.metaload.transforms.flowgraph.FlowgraphStep;
import io.metaload.transforms.flowgraph.RowFunction;
import io.metaload.transforms.flowgraph.StepArguments;
import io.metaload.transforms.flowgraph.StepColumns;
import io.metaload.transforms.flowgraph.StepConfigException;
import io.metaload.transforms.flowgraph.StepType;
import io.metaload.transforms.flowgraph.expr.Expression;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Rejects rows that break a rule, with a reason naming column, value and rule:
 *
 * <pre>
 * - require: { column: customer_id, notNull: true }
 * - require: { column: amount, min: 0, max: 100000 }
 * - require: { column: email, pattern: "[^@]+@[^@]+" }
 * - require: { column: status, values: [open, shipped, closed] }
 * - require: { column: code, maxLength: 8 }
 * - require: { expression: "ship_date >= order_date", reason: shipped before it was ordered }
 * </pre>
 *
 * As in SQL's CHECK, a NULL passes every rule but {@code notNull}; a NULL in an expression rule
 * rejects the row (the rule could not be shown to hold).
 */
public final class RequireStep implements FlowgraphStep {
  private static final long serialVersionUID = 1L;

  private final List<String> columns;
  private final boolean notNull;
  private final String min;
  private final String max;
  private final String pattern;
  private final List<String> values;
  private final Long maxLength;
  private final String expression;
  private final String reason;

  private RequireStep(
      List<String> columns,
      boolean notNull,
      String min,
      String max,
      String pattern,
      List<String> values,
      Long maxLength,
      String expression,
      String reason) {
    this.columns = columns;
    this.notNull = notNull;
    this.min = min;
    this.max = max;
    this.pattern = pattern;
    this.values = values;
    this.maxLength = maxLength;
    this.expression = expression;
    this.reason = reason;
  }

  @Override
  public List<Column> outputColumns(List<Column> input) {
    if (expression != null) {
      Expression e = Expression.of(expression, input);
      if (e.resultType() != Boolean.class) {
        throw new StepConfigException(
            "expression '"
                + expression
                + "' is "
                + e.resultType().getSimpleName()
                + ", not a condition");
      }
      return input;
    }
    for (String name : columns) {
      Column c = StepColumns.require(input, name);
      bound(c, "min", min);
      bound(c, "max", max);
      if ((pattern != null || maxLength != null) && !c.type().family().equals("text")) {
        throw new StepConfigException(
            "column '"
                + c.name()
                + "' is "
                + c.type().name().toLowerCase(Locale.ROOT)
                + "; 'pattern' and 'maxLength' apply to text");
      }
      if (values != null) {
        values.forEach(v -> bound(c, "values", v));
      }
    }
    return input;
  }

  @SuppressWarnings("rawtypes")
  private static Comparable bound(Column c, String field, String literal) {
    if (literal == null) {
      return null;
    }
    Object v;
    try {
      v = c.type().parse(literal);
    } catch (IllegalArgumentException e) {
      throw new StepConfigException(
          "field '" + field + "': " + e.getMessage() + " for column '" + c.name() + "'");
    }
    if (!(v instanceof Comparable)) {
      throw new StepConfigException(
          "field '" + field + "' does not apply to column '" + c.name() + "'");
    }
    return (Comparable) v;
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public RowFunction compile(List<Column> input) {
    if (expression != null) {
      Expression.Evaluator eval = Expression.of(expression, input).evaluator();
      String why = reason != null ? reason : "'" + expression + "' does not hold";
      return (row, verdict) -> {
        Object ok;
        try {
          ok = eval.evaluate(row);
        } catch (Expression.EvaluationException e) {
          verdict.reject(e.getMessage());
          return null;
        }
        if (Boolean.TRUE.equals(ok)) {
          return row;
        }
        verdict.reject(ok == null ? why + " (an operand is NULL)" : why);
        return null;
      };
    }
    List<RowFunction> checks = new ArrayList<>();
    for (String name : columns) {
      int i = StepColumns.indexOf(input, name);
      Column c = input.get(i);
      Comparable lo = bound(c, "min", min);
      Comparable hi = bound(c, "max", max);
      Pattern regex = pattern == null ? null : Pattern.compile(pattern);
      List<Object> allowed = new ArrayList<>();
      if (values != null) {
        values.forEach(v -> allowed.add(bound(c, "values", v)));
      }
      checks.add(
          (row, verdict) -> {
            Object v = row[i];
            String broken = null;
            if (v == null) {
              broken = notNull ? c.name() + " is NULL" : null;
            } else if (lo != null && lo.compareTo(v) > 0) {
              broken = c.name() + " " + ValueCast.shorten(v) + " is below min " + min;
            } else if (hi != null && hi.compareTo(v) < 0) {
              broken = c.name() + " " + ValueCast.shorten(v) + " is above max " + max;
            } else if (regex != null && !regex.matcher((String) v).matches()) {
              broken =
                  c.name() + " '" + ValueCast.shorten(v) + "' does not match pattern " + pattern;
            } else if (values != null && !allowed.contains(v)) {
              broken = c.name() + " '" + ValueCast.shorten(v) + "' is not one of " + values;
            } else if (maxLength != null
                && ((String) v).codePointCount(0, ((String) v).length()) > maxLength) {
              broken =
                  c.name()
                      + " has "
                      + ((String) v).codePointCount(0, ((String) v).length())
                      + " characters, more than maxLength "
                      + maxLength;
            }
            if (broken != null) {
              verdict.reject(reason != null ? reason + " (" + broken + ")" : broken);
              return null;
            }
            return row;
          });
    }
    return (row, verdict) -> {
      for (RowFunction check : checks) {
        if (check.apply(row, verdict) == null) {
          return null;
        }
      }
      return row;
    };
  }

  /** Registers {@code require}. */
  public static final class Type implements StepType {
    @Override
    public String name() {
      return "require";
    }

    @Override
    public FlowgraphStep create(StepArguments a) {
      a.allowOnly(
          "column",
          "columns",
          "notNull",
          "min",
          "max",
          "pattern",
          "values",
          "maxLength",
          "expression",
          "reason");
      String reason = a.string("reason", null);
      if (a.has("expression")) {
        if (a.has("column") || a.has("columns")) {
          throw new StepConfigException("give either 'expression' or 'column' rules, not both");
        }
        return new RequireStep(
            List.of(), false, null, null, null, null, null, a.string("expression"), reason);
      }
      List<String> columns = a.has("columns") ? a.strings("columns") : List.of(a.string("column"));
      String pattern = a.string("pattern", null);
      if (pattern != null) {
        try {
          Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
          throw new StepConfigException(
              "field 'pattern' is not a regular expression: " + e.getDescription());
        }
      }
      Long maxLength = a.has("maxLength") ? a.integer("maxLength", 0) : null;
      boolean notNull = a.bool("notNull", false);
      List<String> values = a.has("values") ? a.strings("values") : null;
      if (!notNull
          && !a.has("min")
          && !a.has("max")
          && pattern == null
          && values == null
          && maxLength == null) {
        throw new StepConfigException(
            "names no rule (notNull, min, max, pattern, values, maxLength or expression)");
      }
      return new RequireStep(
          columns,
          notNull,
          a.string("min", null),
          a.string("max", null),
          pattern,
          values,
          maxLength,
          null,
          reason);
    }
  }
}

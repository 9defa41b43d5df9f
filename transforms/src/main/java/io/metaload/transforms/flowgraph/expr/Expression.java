package io.metaload.transforms.flowgraph.expr;

import io.metaload.metadata.schema.Column;
import io.metaload.transforms.flowgraph.StepColumns;
import io.metaload.transforms.flowgraph.StepConfigException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.codehaus.commons.compiler.CompileException;
import org.codehaus.janino.ClassBodyEvaluator;
import org.codehaus.janino.ExpressionEvaluator;

/**
 * An expression over a row's columns, checked and typed when it is created (plan time: an unknown
 * column, a disallowed construct or a type error is a {@link StepConfigException}) and compiled to
 * JVM bytecode by Janino once per worker ({@link #evaluator()}).
 *
 * <pre>{@code
 * Expression e = Expression.of("amount * 2 > 100 && status == 'open'", columns);
 * Expression.Evaluator eval = e.evaluator();
 * Object keep = eval.evaluate(row);   // Boolean, or null when an operand was NULL
 * }</pre>
 *
 * Janino was chosen over CEL by measurement: the same predicate took 12-22 ns per row compiled with
 * Janino and about 500 ns interpreted by CEL 0.14, and CEL needs protobuf 4, which clashes with the
 * Flink runner's protobuf 3. Safety comes from {@link ExpressionTranslator}, which lets nothing
 * through but values, operators and {@link Functions}.
 */
public final class Expression implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String compiled;
  private final String[] names;
  private final int[] indexes;
  private final Column[] columns;
  private final Class<?> resultType;

  private Expression(
      String source,
      String java,
      String[] names,
      int[] indexes,
      Column[] columns,
      Class<?> resultType) {
    this.source = source;
    this.compiled = java;
    this.names = names;
    this.indexes = indexes;
    this.columns = columns;
    this.resultType = resultType;
  }

  /** Parses, checks and types {@code source} against the row's {@code input} columns. */
  public static Expression of(String source, List<Column> input) {
    ExpressionTranslator.Translation t =
        ExpressionTranslator.translate(
            source,
            name -> StepColumns.indexOf(input, name) >= 0,
            String.join(", ", StepColumns.names(input)));
    List<String> names = new ArrayList<>(t.columns);
    int[] indexes = new int[names.size()];
    Column[] columns = new Column[names.size()];
    for (int i = 0; i < names.size(); i++) {
      indexes[i] = StepColumns.indexOf(input, names.get(i));
      columns[i] = input.get(indexes[i]);
    }
    Expression any =
        new Expression(
            source, t.java, names.toArray(new String[0]), indexes, columns, Object.class);
    any.cook();
    for (Class<?> candidate : RESULT_TYPES) {
      Expression typed = new Expression(source, t.java, any.names, indexes, columns, candidate);
      try {
        typed.cook();
        return new Expression(
            source,
            t.java,
            any.names,
            indexes,
            columns,
            candidate == boolean.class ? Boolean.class : candidate);
      } catch (StepConfigException narrower) {
        // Not of this type; try the next, wider one.
      }
    }
    return any;
  }

  /**
   * Result types tried from the most specific: Janino reports the static type of an expression
   * compiled for any type as Object, so the type is the first one the expression is assignable to.
   */
  private static final Class<?>[] RESULT_TYPES = {
    boolean.class,
    Long.class,
    Double.class,
    BigDecimal.class,
    Number.class,
    String.class,
    LocalDate.class,
    LocalDateTime.class,
    OffsetDateTime.class,
    LocalTime.class,
    java.util.UUID.class,
    byte[].class
  };

  public String source() {
    return source;
  }

  /** The static type of the result, boxed ({@code Boolean} for a predicate). */
  public Class<?> resultType() {
    return resultType;
  }

  /** A compiled evaluator; build one per worker (in {@code @Setup} or a step's compile). */
  public Evaluator evaluator() {
    return new Evaluator(compileClass());
  }

  /**
   * The expression of a compiled class of its own, called directly rather than through reflection.
   */
  public interface Compiled {
    Object evaluate(Object[] args);
  }

  /**
   * Compiles the expression, already checked and typed by {@link #cook()}, as the body of a {@link
   * Compiled} whose arguments are the columns it reads.
   */
  private Compiled compileClass() {
    StringBuilder body = new StringBuilder("public Object evaluate(Object[] $row$) {\n");
    for (int i = 0; i < names.length; i++) {
      String type = ExpressionTypes.javaClass(columns[i].type()).getCanonicalName();
      body.append("  final ")
          .append(type)
          .append(' ')
          .append(names[i])
          .append(" = (")
          .append(type)
          .append(") $row$[")
          .append(i)
          .append("];\n");
    }
    String result =
        resultType == Object.class
            ? "Object"
            : resultType == Boolean.class ? "boolean" : resultType.getCanonicalName();
    body.append("  final ")
        .append(result)
        .append(" $result$ = ")
        .append(compiled)
        .append(";\n  return $result$;\n}\n");
    ClassBodyEvaluator cbe = new ClassBodyEvaluator();
    cbe.setImplementedInterfaces(new Class<?>[] {Compiled.class});
    cbe.setParentClassLoader(Expression.class.getClassLoader());
    try {
      cbe.cook(body.toString());
      return (Compiled) cbe.getClazz().getDeclaredConstructor().newInstance();
    } catch (CompileException | ReflectiveOperationException e) {
      throw new StepConfigException(
          "expression '" + source + "' does not compile: " + plain(e.getMessage()), e);
    }
  }

  private ExpressionEvaluator cook() {
    ExpressionEvaluator ee = new ExpressionEvaluator();
    Class<?>[] types = new Class<?>[columns.length];
    for (int i = 0; i < columns.length; i++) {
      types[i] = ExpressionTypes.javaClass(columns[i].type());
    }
    ee.setParameters(names, types);
    ee.setExpressionType(
        resultType == Object.class
            ? ExpressionEvaluator.ANY_TYPE
            : resultType == Boolean.class ? boolean.class : resultType);
    try {
      ee.cook(compiled);
    } catch (CompileException e) {
      throw new StepConfigException(
          "expression '" + source + "' does not compile: " + plain(e.getMessage()), e);
    }
    return ee;
  }

  private static final Pattern NO_OVERLOAD =
      Pattern.compile(
          "No applicable constructor/method found for actual parameters \"([^\"]*)\"; candidates are: \"public static [\\w.\\[\\]]+ (?:[\\w$]+\\.)*(\\w+)\\(");
  private static final Map<String, String> OPERATORS =
      Map.of(
          "add",
          "+",
          "sub",
          "-",
          "mul",
          "*",
          "div",
          "/",
          "mod",
          "%",
          "eq",
          "== or !=",
          "cmp",
          "<, <=, > or >=",
          "neg",
          "unary -");

  /**
   * Janino's message in the expression's own terms: operators instead of the functions they became,
   * no internal names.
   */
  private static String plain(String message) {
    if (message == null) {
      return "";
    }
    Matcher m = NO_OVERLOAD.matcher(message);
    if (m.find()) {
      String operands =
          m.group(1)
              .replace("java.lang.", "")
              .replace("java.math.", "")
              .replace("java.time.", "")
              .replace("java.util.", "");
      String op = OPERATORS.get(m.group(2));
      return op != null
          ? "operator " + op + " cannot combine " + operands.replace(", ", " and ")
          : "function " + m.group(2) + " does not take (" + operands + ")";
    }
    return message.replace(Functions.class.getName() + ".", "");
  }

  /** One worker's compiled expression. Not thread-safe; one per DoFn instance. */
  public final class Evaluator {
    private final Compiled compiled;
    private final Object[] args = new Object[indexes.length];

    private Evaluator(Compiled compiled) {
      this.compiled = compiled;
    }

    /**
     * The value for {@code row} (the columns the expression was typed with), or null when an
     * operand it needed was NULL; an error (division by zero, overflow, a bad literal) is an {@link
     * EvaluationException} saying so.
     */
    public Object evaluate(Object[] row) {
      for (int i = 0; i < indexes.length; i++) {
        args[i] = ExpressionTypes.toExpression(columns[i].type(), row[indexes[i]]);
      }
      try {
        return compiled.evaluate(args);
      } catch (Functions.NullOperand | NullPointerException e) {
        return null;
      } catch (RuntimeException e) {
        throw new EvaluationException("expression '" + source + "' failed: " + e, e);
      }
    }
  }

  /** An expression failed on a row for a reason other than a NULL operand. */
  public static final class EvaluationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EvaluationException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

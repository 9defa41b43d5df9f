package io.metaload.transforms.flowgraph.expr;

import io.metaload.transforms.flowgraph.StepConfigException;
import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.codehaus.commons.compiler.CompileException;
import org.codehaus.janino.Java;
import org.codehaus.janino.Parser;
import org.codehaus.janino.Scanner;
import org.codehaus.janino.TokenType;

/**
 * Turns an expression as users write it into the Java expression that is compiled: only literals,
 * column names, operators, the conditional and {@link Functions#CALLABLE} calls are allowed (no
 * object creation, member access, assignment or class reference, so an expression can reach nothing
 * but its row), and operators become calls to {@link Functions}, which compare values rather than
 * references and treat NULL as SQL does. Strings may be quoted with {@code '} or {@code "}; integer
 * literals are longs.
 */
final class ExpressionTranslator {
  private static final String F = Functions.class.getName() + ".";

  private final Predicate<String> isColumn;
  private final Set<String> used = new LinkedHashSet<>();

  private ExpressionTranslator(Predicate<String> isColumn) {
    this.isColumn = isColumn;
  }

  /** The Java text of {@code expression}, and the columns it reads in first-use order. */
  static Translation translate(
      String expression, Predicate<String> isColumn, String columnsForMessages) {
    ExpressionTranslator t = new ExpressionTranslator(isColumn);
    try {
      Parser parser = new Parser(new Scanner(null, new StringReader(doubleQuoted(expression))));
      Java.Rvalue root = parser.parseExpression();
      if (!parser.peek(TokenType.END_OF_INPUT)) {
        throw new StepConfigException(
            "unexpected '" + parser.peek().value + "' after the end of the expression");
      }
      String java = t.rvalue(root, columnsForMessages);
      return new Translation(java, t.used);
    } catch (CompileException e) {
      throw new StepConfigException("does not parse: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static final class Translation {
    final String java;
    final Set<String> columns;

    Translation(String java, Set<String> columns) {
      this.java = java;
      this.columns = columns;
    }
  }

  private String rvalue(Java.Rvalue v, String columns) throws CompileException {
    if (v instanceof Java.IntegerLiteral) {
      String text = ((Java.Literal) v).value;
      return text.endsWith("L") || text.endsWith("l") ? text : text + "L";
    }
    if (v instanceof Java.FloatingPointLiteral) {
      String text = ((Java.Literal) v).value;
      return text.endsWith("f") || text.endsWith("F")
          ? text.substring(0, text.length() - 1) + "d"
          : text;
    }
    if (v instanceof Java.StringLiteral
        || v instanceof Java.BooleanLiteral
        || v instanceof Java.NullLiteral) {
      return ((Java.Literal) v).value;
    }
    if (v instanceof Java.AmbiguousName) {
      String[] ids = ((Java.AmbiguousName) v).identifiers;
      if (ids.length != 1) {
        throw refused(
            v, "'" + String.join(".", ids) + "' (member access is not allowed; name a column)");
      }
      if (!isColumn.test(ids[0])) {
        throw new StepConfigException(
            "unknown column '"
                + ids[0]
                + "' at "
                + v.getLocation()
                + " (columns: "
                + columns
                + ")");
      }
      used.add(ids[0]);
      return ids[0];
    }
    if (v instanceof Java.ParenthesizedExpression) {
      return "(" + rvalue(((Java.ParenthesizedExpression) v).value, columns) + ")";
    }
    if (v instanceof Java.UnaryOperation) {
      Java.UnaryOperation u = (Java.UnaryOperation) v;
      String operand = rvalue(u.operand, columns);
      switch (u.operator) {
        case "-":
          return F + "neg(" + operand + ")";
        case "+":
          return operand;
        case "!":
          return "!(" + operand + ")";
        default:
          throw refused(v, "operator '" + u.operator + "'");
      }
    }
    if (v instanceof Java.BinaryOperation) {
      return binary((Java.BinaryOperation) v, columns);
    }
    if (v instanceof Java.ConditionalExpression) {
      Java.ConditionalExpression c = (Java.ConditionalExpression) v;
      return "("
          + rvalue(c.lhs, columns)
          + " ? "
          + rvalue(c.mhs, columns)
          + " : "
          + rvalue(c.rhs, columns)
          + ")";
    }
    if (v instanceof Java.MethodInvocation) {
      Java.MethodInvocation m = (Java.MethodInvocation) v;
      if (m.target != null) {
        throw refused(
            v,
            "'"
                + m.target
                + "."
                + m.methodName
                + "(...)' (member access is not allowed; call a function)");
      }
      if (!Functions.CALLABLE.contains(m.methodName)) {
        throw refused(
            v,
            "call of '"
                + m.methodName
                + "' (functions: "
                + new TreeSet<>(Functions.CALLABLE)
                + ")");
      }
      StringBuilder call = new StringBuilder(F).append(m.methodName).append('(');
      for (int i = 0; i < m.arguments.length; i++) {
        call.append(i == 0 ? "" : ", ").append(rvalue(m.arguments[i], columns));
      }
      return call.append(')').toString();
    }
    throw refused(v, v.getClass().getSimpleName() + " '" + v + "'");
  }

  private String binary(Java.BinaryOperation b, String columns) throws CompileException {
    if ((b.operator.equals("==") || b.operator.equals("!="))
        && (b.lhs instanceof Java.NullLiteral || b.rhs instanceof Java.NullLiteral)) {
      Java.Rvalue other = b.lhs instanceof Java.NullLiteral ? b.rhs : b.lhs;
      return F + (b.operator.equals("==") ? "isNull(" : "notNull(") + rvalue(other, columns) + ")";
    }
    String l = rvalue(b.lhs, columns);
    String r = rvalue(b.rhs, columns);
    switch (b.operator) {
      case "&&":
      case "||":
        return "(" + l + " " + b.operator + " " + r + ")";
      case "==":
        return F + "eq(" + l + ", " + r + ")";
      case "!=":
        return "!" + F + "eq(" + l + ", " + r + ")";
      case "<":
      case "<=":
      case ">":
      case ">=":
        return "(" + F + "cmp(" + l + ", " + r + ") " + b.operator + " 0)";
      case "+":
        return F + "add(" + l + ", " + r + ")";
      case "-":
        return F + "sub(" + l + ", " + r + ")";
      case "*":
        return F + "mul(" + l + ", " + r + ")";
      case "/":
        return F + "div(" + l + ", " + r + ")";
      case "%":
        return F + "mod(" + l + ", " + r + ")";
      default:
        throw refused(b, "operator '" + b.operator + "'");
    }
  }

  private static StepConfigException refused(Java.Located where, String what) {
    return new StepConfigException(
        "not allowed in an expression at " + where.getLocation() + ": " + what);
  }

  /**
   * Rewrites {@code 'text'} as {@code "text"} (a doubled {@code ''} is a quote), leaving
   * double-quoted strings alone.
   */
  static String doubleQuoted(String expression) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < expression.length()) {
      char ch = expression.charAt(i);
      if (ch == '"') {
        int end = i + 1;
        while (end < expression.length() && expression.charAt(end) != '"') {
          end += expression.charAt(end) == '\\' ? 2 : 1;
        }
        out.append(expression, i, Math.min(end + 1, expression.length()));
        i = end + 1;
      } else if (ch == '\'') {
        StringBuilder text = new StringBuilder("\"");
        int j = i + 1;
        while (j < expression.length()) {
          char c = expression.charAt(j);
          if (c == '\'' && j + 1 < expression.length() && expression.charAt(j + 1) == '\'') {
            text.append('\'');
            j += 2;
          } else if (c == '\'') {
            break;
          } else {
            text.append(c == '"' ? "\\\"" : c == '\\' ? "\\\\" : String.valueOf(c));
            j++;
          }
        }
        out.append(text).append('"');
        i = j + 1;
      } else {
        out.append(ch);
        i++;
      }
    }
    return out.toString();
  }
}

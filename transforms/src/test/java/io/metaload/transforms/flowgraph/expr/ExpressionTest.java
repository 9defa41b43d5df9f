package io.metaload.transforms.flowgraph.expr;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.transforms.flowgraph.StepConfigException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpressionTest {
  private static final List<Column> COLUMNS =
      List.of(
          Column.of("id", ColumnType.BIGINT, 0, 0, false, false),
          Column.of("qty", ColumnType.INTEGER, 0, 0, true, false),
          Column.of("amount", ColumnType.DECIMAL, 12, 2, true, false),
          Column.of("rate", ColumnType.DOUBLE, 0, 0, true, false),
          Column.of("status", ColumnType.STRING, 12, 0, true, false),
          Column.of("day", ColumnType.DATE, 0, 0, true, false));

  private static Object eval(String expression, Object... row) {
    return Expression.of(expression, COLUMNS).evaluator().evaluate(row);
  }

  @Test
  void stringsCompareByValueNotByReference() {
    String built = new StringBuilder("op").append("en").toString();
    assertThat(eval("status == 'open'", 1L, 1, null, null, built, null), equalTo(true));
    assertThat(eval("status != \"open\"", 1L, 1, null, null, built, null), equalTo(false));
  }

  @Test
  void numbersOfDifferentTypesCompareAndComputeByValue() {
    Object[] row = {7L, 3, new BigDecimal("10.50"), 0.5, "x", null};
    assertThat(eval("amount > 10", row), equalTo(true));
    assertThat(eval("qty * id", row), equalTo(21L));
    assertThat(eval("amount * qty", row), equalTo(new BigDecimal("31.50")));
    assertThat(eval("rate * qty", row), equalTo(1.5));
    assertThat(eval("amount == toDecimal('10.5')", row), equalTo(true));
  }

  @Test
  void aNullOperandMakesTheResultNull() {
    assertThat(eval("qty > 1", 1L, null, null, null, null, null), nullValue());
    assertThat(eval("qty == null", 1L, null, null, null, null, null), equalTo(true));
    assertThat(eval("coalesce(qty, 0) + 1", 1L, null, null, null, null, null), equalTo(1L));
  }

  @Test
  void datesAndFunctionsWork() {
    Object[] row = {1L, 1, null, null, "  Mixed Case ", LocalDate.of(2024, 2, 29)};
    assertThat(eval("day >= date('2024-01-01') && year(day) == 2024", row), equalTo(true));
    assertThat(eval("lower(trim(status))", row), equalTo("mixed case"));
    assertThat(eval("oneOf(month(day), 1, 2, 3)", row), equalTo(true));
  }

  @Test
  void typesAreKnownAtPlanTime() {
    assertThat(Expression.of("id > 3", COLUMNS).resultType(), equalTo(Boolean.class));
    assertThat(Expression.of("id + 1", COLUMNS).resultType(), equalTo(Long.class));
    assertThat(Expression.of("concat(status, id)", COLUMNS).resultType(), equalTo(String.class));
    assertThat(Expression.of("amount * 2", COLUMNS).resultType(), equalTo(Number.class));
  }

  @Test
  void aRuntimeErrorSaysWhatFailed() {
    Expression.EvaluationException e =
        assertThrows(
            Expression.EvaluationException.class,
            () -> eval("id / qty", 1L, 0, null, null, null, null));
    assertThat(e.getMessage(), containsString("/ by zero"));
  }

  @Test
  void nothingButValuesOperatorsAndFunctionsIsAllowed() {
    assertThat(
        refused("java.lang.System.exit(1) == null"),
        containsString("member access is not allowed"));
    assertThat(refused("new java.io.File(\"x\") == null"), containsString("not allowed"));
    assertThat(refused("status.getClass() == null"), containsString("not allowed"));
    assertThat(refused("exit(1)"), containsString("call of 'exit'"));
    assertThat(refused("id = 3"), containsString("not allowed"));
  }

  @Test
  void mistakesNameTheColumnOrOperator() {
    assertThat(refused("price > 3"), containsString("unknown column 'price'"));
    assertThat(refused("id + status"), containsString("operator + cannot combine Long and String"));
    assertThat(
        refused("id > 'a'"),
        containsString("operator <, <=, > or >= cannot combine Long and String"));
    assertThat(refused("id > > 3"), containsString("does not parse"));
  }

  private static String refused(String expression) {
    return assertThrows(StepConfigException.class, () -> Expression.of(expression, COLUMNS))
        .getMessage();
  }
}

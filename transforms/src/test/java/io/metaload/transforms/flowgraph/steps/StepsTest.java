package io.metaload.transforms.flowgraph.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.transforms.flowgraph.StepColumns;
import io.metaload.transforms.flowgraph.StepConfigException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Each built-in step on a batch of rows: what it emits, what it rejects and why, and what it
 * refuses at plan time.
 */
class StepsTest {
  private static final List<Column> ORDERS =
      List.of(
          Column.of("id", ColumnType.BIGINT, 0, 0, false, false),
          Column.of("cust", ColumnType.STRING, 20, 0, true, false),
          Column.of("amount", ColumnType.STRING, 20, 0, true, false),
          Column.of("status", ColumnType.STRING, 12, 0, true, false));

  private static Object[] row(Object... values) {
    return values;
  }

  private static List<String> rows(List<Object[]> rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(Arrays.toString(r)));
    return out;
  }

  @Test
  void renameChangesNamesAndKeepsValuesAndOrigins() throws Exception {
    StepFixture f = new StepFixture(new RenameStep.Type(), "{\"cust\": \"customer_id\"}", ORDERS);
    assertThat(StepColumns.names(f.output()), contains("id", "customer_id", "amount", "status"));
    assertThat(f.step.originOf("customer_id", ORDERS), equalTo("cust"));
    assertThat(f.step.originOf("cust", ORDERS), nullValue());
    assertThat(f.apply(row(1L, "C1", "2", "open")).get(0), equalTo(row(1L, "C1", "2", "open")));
    assertThat(
        assertThrows(
                StepConfigException.class,
                () -> new StepFixture(new RenameStep.Type(), "{\"cust\": \"id\"}", ORDERS).output())
            .getMessage(),
        containsString("two columns called 'id'"));
  }

  @Test
  void selectAndDropProjectColumns() throws Exception {
    StepFixture select = new StepFixture(new SelectStep.Select(), "[\"status\", \"id\"]", ORDERS);
    assertThat(select.apply(row(1L, "C1", "2", "open")).get(0), equalTo(row("open", 1L)));
    StepFixture drop = new StepFixture(new SelectStep.Drop(), "[\"amount\"]", ORDERS);
    assertThat(drop.apply(row(1L, "C1", "2", "open")).get(0), equalTo(row(1L, "C1", "open")));
    assertThat(
        assertThrows(
                StepConfigException.class,
                () -> new StepFixture(new SelectStep.Drop(), "[\"price\"]", ORDERS).output())
            .getMessage(),
        containsString("column 'price' does not exist here (columns: [id, cust, amount, status])"));
  }

  @Test
  void castConvertsWithTheTargetTypesRulesAndRejectsWhatDoesNotFit() throws Exception {
    StepFixture f =
        new StepFixture(
            new CastStep.Type(),
            "{\"amount\": \"decimal(5,2)\", \"cust\": \"varchar(3)\"}",
            ORDERS);
    assertThat(f.output().get(2).type(), equalTo(ColumnType.DECIMAL));
    List<Object[]> out =
        f.apply(
            row(1L, "C1", "12.345", "open"),
            row(2L, "C2", "abc", "open"),
            row(3L, "C3", "1234.5", "open"),
            row(4L, "C444", "1", "open"),
            row(5L, null, null, "open"));
    assertThat(out, hasSize(2));
    assertThat(out.get(0), equalTo(row(1L, "C1", new BigDecimal("12.35"), "open")));
    assertThat(out.get(1), equalTo(row(5L, null, null, "open")));
    assertThat(
        f.rejected,
        contains(
            "column amount: 'abc' is not a valid numeric(5,2)",
            "column amount: 1234.5 does not fit numeric(5,2)",
            "column cust: 'C444' is longer than 3 characters"));
  }

  @Test
  void trimStripsFoldsAndEmptiesToNull() throws Exception {
    StepFixture f =
        new StepFixture(
            new TrimStep.Type(),
            "{\"columns\": [\"cust\", \"status\"], \"case\": \"upper\", \"emptyAsNull\": true}",
            ORDERS);
    assertThat(f.apply(row(1L, "  c1\t", "1", "   ")).get(0), equalTo(row(1L, "C1", "1", null)));
    assertThat(
        assertThrows(
                StepConfigException.class,
                () -> new StepFixture(new TrimStep.Type(), "[\"id\"]", ORDERS).output())
            .getMessage(),
        containsString("column 'id' is bigint, not text"));
  }

  @Test
  void defaultReplacesOnlyNulls() throws Exception {
    StepFixture f = new StepFixture(new DefaultStep.Type(), "{\"status\": \"new\"}", ORDERS);
    assertThat(
        rows(f.apply(row(1L, "a", "1", null), row(2L, "b", "1", "open"))),
        contains("[1, a, 1, new]", "[2, b, 1, open]"));
    assertThat(f.output().get(3).nullable(), equalTo(false));
    assertThat(
        assertThrows(
                StepConfigException.class,
                () -> new StepFixture(new DefaultStep.Type(), "{\"id\": \"x\"}", ORDERS).output())
            .getMessage(),
        containsString("default for column 'id'"));
  }

  @Test
  void filterKeepsTrueRowsAndDropsFalseAndNullWithoutRejecting() throws Exception {
    StepFixture f = new StepFixture(new FilterStep.Type(), "\"status == 'open'\"", ORDERS);
    assertThat(
        rows(
            f.apply(
                row(1L, "a", "1", "open"), row(2L, "b", "1", "closed"), row(3L, "c", "1", null))),
        contains("[1, a, 1, open]"));
    assertThat(f.rejected, hasSize(0));
  }

  @Test
  void computeAppendsOrReplacesAColumnOfTheDeclaredType() throws Exception {
    StepFixture f =
        new StepFixture(
            new ComputeStep.Type(),
            "{\"column\": \"big\", \"type\": \"boolean\", \"expression\": \"id > 1\"}",
            ORDERS);
    assertThat(f.output(), hasSize(5));
    assertThat(
        rows(f.apply(row(1L, "a", "1", "x"), row(2L, "b", "1", "x"))),
        contains("[1, a, 1, x, false]", "[2, b, 1, x, true]"));
    StepFixture replace =
        new StepFixture(
            new ComputeStep.Type(),
            "{\"column\": \"id\", \"type\": \"smallint\", \"expression\": \"id * 1000\"}",
            ORDERS);
    List<Object[]> replaced = replace.apply(row(7L, "a", "1", "x"), row(40L, "b", "1", "x"));
    assertThat(rows(replaced), contains("[7000, a, 1, x]"));
    assertThat(replaced.get(0)[0], equalTo((short) 7000));
    assertThat(replace.rejected, contains("column id: 40000 is out of range for int2"));
  }

  @Test
  void hashIsASaltedHmacThatHidesItsColumn() throws Exception {
    Path salt = Files.createTempFile("salt", "");
    Files.writeString(salt, "s3cret");
    StepFixture f =
        new StepFixture(
            new HashStep.Type(),
            "{\"columns\": [\"cust\"], \"salt\": \"${file:" + salt + "}\"}",
            ORDERS);
    Object[] out = f.apply(row(1L, "C1", "1", "x")).get(0);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    assertThat(
        out[1],
        equalTo(HexFormat.of().formatHex(mac.doFinal("C1".getBytes(StandardCharsets.UTF_8)))));
    assertThat(f.step.hiddenColumns(), contains("cust"));
    assertThat(f.output().get(1).size(), equalTo(64));
    assertThat(
        assertThrows(
                StepConfigException.class,
                () ->
                    new StepFixture(
                        new HashStep.Type(),
                        "{\"columns\": [\"cust\"], \"salt\": \"${env:METALOAD_NO_SUCH_SALT}\"}",
                        ORDERS))
            .getMessage(),
        containsString("the salt's environment variable METALOAD_NO_SUCH_SALT is not set"));
  }

  @Test
  void maskKeepsTheLastCharacters() throws Exception {
    StepFixture f =
        new StepFixture(new MaskStep.Type(), "{\"columns\": [\"cust\"], \"keep\": 2}", ORDERS);
    assertThat(f.apply(row(1L, "AB😀12", "1", "x")).get(0)[1], equalTo("***12"));
  }

  @Test
  void requireRejectsRowsThatBreakARuleWithTheReason() throws Exception {
    StepFixture notNull =
        new StepFixture(
            new RequireStep.Type(), "{\"column\": \"cust\", \"notNull\": true}", ORDERS);
    notNull.apply(row(1L, null, "1", "x"), row(2L, "b", "1", "x"));
    assertThat(notNull.rejected, contains("cust is NULL"));
    StepFixture range =
        new StepFixture(
            new RequireStep.Type(), "{\"column\": \"id\", \"min\": 1, \"max\": 10}", ORDERS);
    range.apply(row(0L, "a", "1", "x"), row(11L, "a", "1", "x"), row(5L, "a", "1", "x"));
    assertThat(range.rejected, contains("id 0 is below min 1", "id 11 is above max 10"));
    StepFixture values =
        new StepFixture(
            new RequireStep.Type(),
            "{\"column\": \"status\", \"values\": [\"open\", \"closed\"]}",
            ORDERS);
    values.apply(row(1L, "a", "1", "lost"), row(2L, "a", "1", null));
    assertThat(values.rejected, contains("status 'lost' is not one of [open, closed]"));
    StepFixture pattern =
        new StepFixture(
            new RequireStep.Type(),
            "{\"column\": \"cust\", \"pattern\": \"C[0-9]+\", \"maxLength\": 3}",
            ORDERS);
    pattern.apply(row(1L, "X1", "1", "x"), row(2L, "C1234", "1", "x"), row(3L, "C12", "1", "x"));
    assertThat(
        pattern.rejected,
        contains(
            "cust 'X1' does not match pattern C[0-9]+",
            "cust has 5 characters, more than maxLength 3"));
    StepFixture rule =
        new StepFixture(
            new RequireStep.Type(),
            "{\"expression\": \"id < 100\", \"reason\": \"id too big\"}",
            ORDERS);
    rule.apply(row(100L, "a", "1", "x"));
    assertThat(rule.rejected, contains("id too big"));
    assertThat(
        assertThrows(
                StepConfigException.class,
                () -> new StepFixture(new RequireStep.Type(), "{\"column\": \"id\"}", ORDERS))
            .getMessage(),
        containsString("names no rule"));
  }
}

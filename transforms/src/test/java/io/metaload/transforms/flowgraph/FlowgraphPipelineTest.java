package io.metaload.transforms.flowgraph;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.flowgraph.TypedFlowgraph;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.TableSchema;
import io.metaload.metadata.store.RejectRecord;
import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.batch.RowBatchCoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A flowgraph built in code with a custom step found by {@code ServiceLoader}, run on the Direct
 * runner: all steps applied per batch in one DoFn, rejected rows carried in the batch with the
 * step, the reason and the row (hashed columns hidden), and batch identity and rows read kept.
 */
@ExtendWith(TestPipelineExtension.class)
class FlowgraphPipelineTest {
  private static final TableSchema SOURCE =
      TableSchema.of(
          List.of(
              Column.of("id", ColumnType.BIGINT, 0, 0, false, false),
              Column.of("country", ColumnType.STRING, 2, 0, true, false),
              Column.of("email", ColumnType.STRING, 60, 0, true, false),
              Column.of("amount", ColumnType.STRING, 10, 0, true, false)),
          List.of("id"));

  private static Flowgraphs.Builder cleaning() throws Exception {
    Path salt = Files.createTempFile("salt", "");
    Files.writeString(salt, "s");
    return Flowgraphs.builder("cleaning")
        .step("upper-country", "country")
        .step("mask", Map.of("columns", List.of("email"), "keep", 3))
        .step("cast", Map.of("amount", "decimal(6,2)"))
        .step("require", Map.of("column", "country", "values", List.of("DE", "FR")))
        .step("rename", Map.of("amount", "total"));
  }

  @Test
  void stepsRunFusedPerBatchAndRejectsRideInTheBatch(TestPipeline p) throws Exception {
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {1L, "de", "ann@example.com", "1.5"});
    rows.add(new Object[] {2L, "us", "bob@example.com", "2"});
    rows.add(new Object[] {3L, "fr", "cy@example.com", "many"});
    rows.add(new Object[] {4L, "fr", null, "4"});
    ColumnType[] types = {
      ColumnType.BIGINT, ColumnType.STRING, ColumnType.STRING, ColumnType.STRING
    };
    RowBatch batch = new RowBatch(7, "orders", 0, 1, 4, 4, 0, types, rows);

    PCollection<RowBatch> out =
        p.apply(Create.of(batch).withCoder(RowBatchCoder.of())).apply(cleaning().over(SOURCE));

    PAssert.that(
            out.apply(
                MapElements.into(TypeDescriptors.strings()).via(FlowgraphPipelineTest::describe)))
        .containsInAnyOrder(
            "p0:1:4 read 4 | [1, DE, ************com, 1.50] [4, FR, null, 4.00] | rejected 1 at 4-require: country 'US' is not one of [DE, FR] "
                + "{\"id\":2,\"country\":\"US\",\"email\":\"***\",\"amount\":2.00} | rejected 2 at 3-cast: column amount: 'many' is not a valid "
                + "numeric(6,2) {\"id\":3,\"country\":\"FR\",\"email\":\"***\",\"amount\":\"many\"}");
    p.run().waitUntilFinish();
  }

  @Test
  void theFlowgraphTypesItsOutputAndCarriesTheKey() throws Exception {
    TypedFlowgraph typed = Flowgraphs.type(cleaning().definition(), SOURCE);

    assertThat(
        StepColumns.names(typed.output().columns()),
        equalTo(List.of("id", "country", "email", "total")));
    assertThat(typed.output().columns().get(3).type(), equalTo(ColumnType.DECIMAL));
    assertThat(typed.origins(), equalTo(List.of("id", "country", "email", "amount")));
    assertThat(typed.output().primaryKey(), equalTo(List.of("id")));
  }

  @Test
  void anUnknownStepOrColumnNamesFlowgraphAndStep() {
    MetaloadException unknown =
        assertThrows(
            MetaloadException.class,
            () ->
                Flowgraphs.type(Flowgraphs.builder("f").step("explode", "x").definition(), SOURCE));
    assertThat(
        unknown.getMessage(),
        containsString(
            "flowgraph 'f', step '1-explode': unknown step type 'explode' (known: [cast, compute, "));
    MetaloadException column =
        assertThrows(
            MetaloadException.class,
            () ->
                Flowgraphs.type(
                    Flowgraphs.builder("f").step("trim", List.of("name")).definition(), SOURCE));
    assertThat(
        column.getMessage(),
        containsString("flowgraph 'f', step '1-trim' (trim): column 'name' does not exist here"));
  }

  private static String describe(RowBatch b) {
    StringBuilder s = new StringBuilder(b.batchId() + " read " + b.rowsRead() + " |");
    for (Object[] row : b.rows()) {
      s.append(' ').append(Arrays.toString(row));
    }
    for (RejectRecord r : b.rejects()) {
      s.append(" | rejected ")
          .append(r.rowIndex())
          .append(" at ")
          .append(r.step())
          .append(": ")
          .append(r.reason())
          .append(' ')
          .append(r.rowJson());
    }
    return s.toString();
  }
}

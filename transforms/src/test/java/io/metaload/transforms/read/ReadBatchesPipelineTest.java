package io.metaload.transforms.read;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.plan.PartitionPlan;
import io.metaload.metadata.plan.ReadUnit;
import io.metaload.metadata.plan.UnitSplitter;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import io.metaload.testing.TestDatabases;
import io.metaload.transforms.MetaloadIO;
import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.source.MetadataSource;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reads through the whole read path on the Direct runner, which checkpoints splittable DoFns after
 * 100 outputs or a second and resumes from the residual: every row arrives exactly once.
 */
@ExtendWith(TestPipelineExtension.class)
class ReadBatchesPipelineTest {
  private static final ConnectionSpec H2 = TestDatabases.h2("read_pipeline_test");
  private static final int ROWS = 9_000;

  @BeforeAll
  static void createTables() {
    TestDatabases.execute(
        H2,
        "DROP TABLE IF EXISTS items",
        "CREATE TABLE items (id BIGINT PRIMARY KEY, region VARCHAR(2) NOT NULL, sold_on DATE NOT NULL)",
        "INSERT INTO items SELECT X, CASE MOD(X, 3) WHEN 0 THEN 'EU' WHEN 1 THEN 'US' ELSE 'AP' END, "
            + "DATEADD(DAY, X / 40, DATE '2020-01-01') FROM SYSTEM_RANGE(1, "
            + ROWS
            + ")");
  }

  @Test
  void directRunnerCheckpointsStillYieldEveryRowOnce(TestPipeline p) throws Exception {
    SourceSpec spec = spec("ID", SplitKeyType.INTEGER, true, null, 23);
    List<ReadUnit> units =
        UnitSplitter.split(
            1, "items", PartitionPlan.of(0, "all", null, 1, ROWS + 1, ROWS), ROWS, 6, 23);

    PCollection<Long> ids =
        p.apply(MetadataSource.of(units))
            .apply(MetaloadIO.readBatches().withSource(spec))
            .apply(ParDo.of(new Ids()));

    PAssert.that(ids)
        .containsInAnyOrder(LongStream.rangeClosed(1, ROWS).boxed().collect(Collectors.toList()));
    p.run().waitUntilFinish();
  }

  @Test
  void dateSplitKeysWithRepeatedValuesAndListPartitionsYieldEveryRowOnce(TestPipeline p)
      throws Exception {
    SourceSpec spec = spec("SOLD_ON", SplitKeyType.DATE, false, "REGION", 17);
    long from = LocalDate.of(2020, 1, 1).toEpochDay();
    long to = LocalDate.of(2020, 1, 1).plusDays(ROWS / 40 + 1).toEpochDay();
    List<ReadUnit> units = new ArrayList<>();
    String[] regions = {"EU", "US", "AP"};
    for (int i = 0; i < regions.length; i++) {
      units.addAll(
          UnitSplitter.split(
              1,
              "items",
              PartitionPlan.of(i, regions[i], regions[i], from, to, ROWS / 3),
              ROWS,
              9,
              17));
    }

    PCollection<Long> ids =
        p.apply(MetadataSource.of(units))
            .apply(MetaloadIO.readBatches().withSource(spec))
            .apply(ParDo.of(new Ids()));

    PAssert.that(ids)
        .containsInAnyOrder(LongStream.rangeClosed(1, ROWS).boxed().collect(Collectors.toList()));
    PAssert.thatSingleton(ids.apply(Count.globally())).isEqualTo((long) ROWS);
    p.run().waitUntilFinish();
  }

  private static SourceSpec spec(
      String key, SplitKeyType type, boolean unique, String partitionColumn, int batchSize)
      throws Exception {
    Dialect dialect = Dialect.forUrl(H2.url());
    TableSchema schema;
    try (Connection c = H2.open()) {
      schema = dialect.catalog().readSchema(c, TableRef.parse("ITEMS")).orElseThrow();
    }
    return SourceSpec.of(
        H2,
        dialect,
        TableRef.parse("ITEMS"),
        schema.columns(),
        schema.indexOf(key),
        type,
        unique,
        partitionColumn == null ? null : schema.column(partitionColumn).orElseThrow(),
        batchSize,
        10);
  }

  private static final class Ids extends DoFn<RowBatch, Long> {
    @ProcessElement
    public void process(@Element RowBatch batch, OutputReceiver<Long> out) {
      for (Object[] row : batch.rows()) {
        out.output((Long) row[0]);
      }
    }
  }
}

package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunStatus;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A full H2 to H2 load on the Direct runner: exact rows, protocol, validation and publication. */
class H2LoadTest {
  private static final String COLUMNS =
      "id, customer_id, created_at, amount, status, country, note, paid, ship_date";
  private final ConnectionSpec source = TestDatabases.h2("h2_load_source");
  private final ConnectionSpec target = TestDatabases.h2("h2_load_target");

  @Test
  void fullLoadPublishesExactlyTheSourceRowsAndRecordsTheProtocol() {
    SampleTables.h2(source, "orders", 12_345);
    TestDatabases.execute(target, "DROP TABLE IF EXISTS orders_copy");
    LoadFixture fixture = new LoadFixture("h2load", source, target);
    fixture.define(
        LoadFixture.load("orders", "orders", "orders_copy")
            .batchSize(500)
            .partitionStrategy(PartitionStrategy.RANGE)
            .partitionValues(List.of("3000", "9000"))
            .build());

    RunReport report = fixture.run("DirectRunner", "orders").get(0);

    assertThat(report.rows(), equalTo(12_345L));
    assertThat(report.partitions(), equalTo(3));
    TableComparison.assertSameRows(source, "orders", target, "orders_copy", COLUMNS, "id");
    RunQueries.RunSummary run = fixture.runSummary(report.runId());
    assertThat(run.status, equalTo(RunStatus.SUCCEEDED));
    assertThat(run.batchRows, equalTo(12_345L));
    assertThat(run.batches, greaterThan(24L));
    List<RunQueries.PartitionSummary> partitions = fixture.partitions(report.runId());
    assertThat(
        partitions.get(0).sourceRows + partitions.get(1).sourceRows + partitions.get(2).sourceRows,
        equalTo(12_345L));
    for (RunQueries.PartitionSummary p : partitions) {
      assertThat(p.status, equalTo(RunStatus.SUCCEEDED));
      assertThat(p.rowsWritten, equalTo(p.sourceRows));
    }
    try (MetadataStore store = MetadataStore.open(fixture.config.metadata())) {
      TableRef[] stagingAndLedger = store.runs().stagingTables(report.runId());
      assertThat(
          stagingAndLedger[0].toString(),
          org.hamcrest.Matchers.matchesPattern(
              "ORDERS_COPY_ML_STG_" + report.runId() + "_[0-9A-F]{6}"));
      for (TableRef table : stagingAndLedger) {
        assertThat(
            table + " is left behind",
            TestDatabases.tableExists(target, table.toString()),
            equalTo(false));
      }
    }
  }

  @Test
  void aSecondRunReplacesTheTargetWithTheNewSourceRows() {
    SampleTables.h2(source, "items", 2_000);
    TestDatabases.execute(target, "DROP TABLE IF EXISTS items_copy");
    LoadFixture fixture = new LoadFixture("h2reload", source, target);
    fixture.define(LoadFixture.load("items", "items", "items_copy").batchSize(300).build());
    fixture.run("DirectRunner", "items");

    TestDatabases.execute(
        source,
        "DELETE FROM items WHERE MOD(id, 2) = 0",
        "UPDATE items SET status = 'CHANGED' WHERE MOD(id, 3) = 0");
    RunReport second = fixture.run("DirectRunner", "items").get(0);

    assertThat(second.rows(), equalTo(1_000L));
    TableComparison.assertSameRows(source, "items", target, "items_copy", COLUMNS, "id");
  }
}

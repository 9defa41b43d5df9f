package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.plan.split.HeapOrder;
import io.metaload.metadata.store.RunQueries;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@code partitioning: { strategy: source }} loads a partitioned source table partition by
 * partition: each leaf of a PostgreSQL declarative partitioned table (in its own schema or not,
 * read in heap order or along the key) and each subpartition of a MariaDB table is one metaload
 * partition, counted, cut and read on its own, and the target equals the source row for row.
 */
class SourcePartitionsIT {
  private static final int BATCH = 50;

  @Test
  void postgresLeafPartitionsAreEachAPartitionReadInHeapOrderOrAlongTheKey() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS sp_orders",
        "DROP SCHEMA IF EXISTS sp_archive CASCADE",
        "CREATE SCHEMA sp_archive",
        "CREATE TABLE sp_orders (id bigint NOT NULL, created_on date NOT NULL, code uuid NOT NULL, note text, "
            + "PRIMARY KEY (id, created_on)) PARTITION BY RANGE (created_on)",
        "CREATE TABLE sp_archive.sp_orders_old PARTITION OF sp_orders FOR VALUES FROM (MINVALUE) TO ('2024-01-01')",
        "CREATE TABLE sp_orders_2024 PARTITION OF sp_orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        "CREATE TABLE sp_orders_2025 PARTITION OF sp_orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
        "CREATE TABLE sp_orders_empty PARTITION OF sp_orders FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
        "INSERT INTO sp_orders SELECT g, date '2022-06-01' + (g % 1200), gen_random_uuid(), 'order ' || g FROM generate_series(1, 3000) g");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    ConnectionSpec maria = TestDatabases.mariadb("metaload_dst");
    TestDatabases.execute(
        target, "DROP TABLE IF EXISTS sp_orders_heap", "DROP TABLE IF EXISTS sp_orders_keyed");
    TestDatabases.execute(maria, "DROP TABLE IF EXISTS sp_orders_heap");

    LoadFixture toPg = new LoadFixture("sp_pg", source, target);
    toPg.define(bySource("sp_heap", "sp_orders", "sp_orders_heap").build());
    RunReport heap = toPg.run("DirectRunner", "sp_heap").get(0);
    assertPartitions(
        toPg,
        heap,
        List.of(
            "partition public.sp_orders_2024",
            "partition public.sp_orders_2025",
            "partition public.sp_orders_empty",
            "partition sp_archive.sp_orders_old"),
        source);
    TableComparison.assertSameRows(
        source, "sp_orders", target, "sp_orders_heap", "id, created_on, code, note", "id");
    assertThat(
        "each leaf is read in heap order and its file node recorded",
        filenodes(toPg, heap.runId()),
        equalTo(
            List.of(
                "public.sp_orders_2024",
                "public.sp_orders_2025",
                "public.sp_orders_empty",
                "sp_archive.sp_orders_old")));

    LoadFixture toMaria = new LoadFixture("sp_maria", source, maria);
    toMaria.define(bySource("sp_heap", "sp_orders", "sp_orders_heap").build());
    toMaria.run("DirectRunner", "sp_heap");
    TableComparison.assertSameRows(
        source, "sp_orders", maria, "sp_orders_heap", "id, created_on, code, note", "id");

    System.setProperty(HeapOrder.SWITCH, "false");
    try {
      toPg.define(bySource("sp_keyed", "sp_orders", "sp_orders_keyed").build());
      RunReport keyed = toPg.run("DirectRunner", "sp_keyed").get(0);
      assertThat(keyed.partitions(), equalTo(4));
      assertThat(toPg.plan(keyed.runId()).heapOrder(), equalTo(null));
      TableComparison.assertSameRows(
          source, "sp_orders", target, "sp_orders_keyed", "id, created_on, code, note", "id");
    } finally {
      System.clearProperty(HeapOrder.SWITCH);
    }
  }

  @Test
  void mariadbSubpartitionsAreEachAPartition() {
    ConnectionSpec source = TestDatabases.mariadb("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS sp_events",
        "CREATE TABLE sp_events (id bigint NOT NULL, happened date NOT NULL, kind varchar(20) NOT NULL, PRIMARY KEY (id, happened)) "
            + "PARTITION BY RANGE (YEAR(happened)) SUBPARTITION BY HASH (id) SUBPARTITIONS 2 ("
            + "PARTITION p2023 VALUES LESS THAN (2024), PARTITION p2024 VALUES LESS THAN (2025), PARTITION pmax VALUES LESS THAN MAXVALUE)",
        "INSERT INTO sp_events SELECT seq, DATE '2023-03-01' + INTERVAL (seq % 900) DAY, ELT(seq % 3 + 1, 'click', 'view', 'buy') "
            + "FROM seq_1_to_2000");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(target, "DROP TABLE IF EXISTS sp_events");
    LoadFixture fixture = new LoadFixture("sp_events", source, target);
    fixture.define(bySource("sp_events", "sp_events", "sp_events").build());

    RunReport report = fixture.run("DirectRunner", "sp_events").get(0);

    assertPartitions(
        fixture,
        report,
        List.of(
            "partition p2023sp0",
            "partition p2023sp1",
            "partition p2024sp0",
            "partition p2024sp1",
            "partition pmaxsp0",
            "partition pmaxsp1"),
        null);
    TableComparison.assertSameRows(
        source, "sp_events", target, "sp_events", "id, happened, kind", "id");
  }

  @Test
  void aTableThatIsNotPartitionedOrCannotBeIsRefusedNamingIt() {
    ConnectionSpec pg = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        pg,
        "DROP TABLE IF EXISTS sp_plain",
        "CREATE TABLE sp_plain (id bigint PRIMARY KEY)",
        "INSERT INTO sp_plain SELECT generate_series(1, 10)");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    LoadFixture fixture = new LoadFixture("sp_plain", pg, target);
    fixture.define(bySource("sp_plain", "sp_plain", "sp_plain_copy").build());
    MetaloadException e = refused(() -> fixture.run("DirectRunner", "sp_plain"));
    assertThat(
        e.getMessage(),
        containsString("strategy 'source' needs a partitioned table; sp_plain is not partitioned"));

    ConnectionSpec maria = TestDatabases.mariadb("metaload_src");
    TestDatabases.execute(
        maria, "DROP TABLE IF EXISTS sp_plain", "CREATE TABLE sp_plain (id bigint PRIMARY KEY)");
    LoadFixture fromMaria = new LoadFixture("sp_plain_m", maria, target);
    fromMaria.define(bySource("sp_plain", "sp_plain", "sp_plain_copy").build());
    assertThat(
        refused(() -> fromMaria.run("DirectRunner", "sp_plain")).getMessage(),
        containsString("sp_plain is not partitioned"));
  }

  private static LoadDefinition.Builder bySource(String name, String table, String target) {
    return LoadFixture.load(name, table, target)
        .batchSize(BATCH)
        .partitionStrategy(PartitionStrategy.SOURCE);
  }

  private static List<String> filenodes(LoadFixture fixture, long runId) {
    return List.copyOf(fixture.plan(runId).heapOrder().filenodes().keySet());
  }

  private static MetaloadException refused(Executable run) {
    MetaloadException e =
        org.junit.jupiter.api.Assertions.assertThrows(MetaloadException.class, run);
    assertThat(e.exitCode().code(), equalTo(2));
    return e;
  }

  /**
   * The run's partitions are {@code descriptions}, each with the rows of its source partition
   * (counted when {@code pg} is given).
   */
  private static void assertPartitions(
      LoadFixture fixture, RunReport report, List<String> descriptions, ConnectionSpec pg) {
    List<RunQueries.PartitionSummary> partitions = fixture.partitions(report.runId());
    assertThat(
        partitions.stream().map(p -> p.description).collect(Collectors.toList()),
        equalTo(descriptions));
    for (RunQueries.PartitionSummary p : partitions) {
      assertThat(p.description, p.rowsWritten, equalTo(p.sourceRows));
      if (pg != null) {
        assertThat(
            p.description,
            p.sourceRows,
            equalTo(TestDatabases.count(pg, p.description.substring("partition ".length()))));
      }
    }
    assertThat(partitions.stream().mapToLong(p -> p.rowsWritten).sum(), equalTo(report.rows()));
  }
}

package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.store.RunStatus;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import io.metaload.transforms.read.SourceSpec.ReadPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Loads between real PostgreSQL and MariaDB servers on the Direct and the Flink local runner, and
 * checks the target equals the source row for row.
 */
class CrossDatabaseLoadIT {
  private static final String COLUMNS =
      "id, customer_id, created_at, amount, status, country, note, paid, ship_date";
  private static final int ROWS = 40_000;

  @Test
  void postgresToPostgresOnTheFlinkLocalRunner() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    SampleTables.postgres(source, "orders_flink", ROWS);
    TestDatabases.execute(target, "DROP TABLE IF EXISTS orders_flink");
    LoadFixture fixture = new LoadFixture("pg_pg_flink", source, target);
    fixture.define(
        LoadFixture.load("orders", "orders_flink", "orders_flink").batchSize(2_000).build());

    RunReport report = fixture.run("FlinkRunner", "orders").get(0);

    assertThat(report.rows(), equalTo((long) ROWS));
    assertThat(fixture.runSummary(report.runId()).status, equalTo(RunStatus.SUCCEEDED));
    TableComparison.assertSameRows(source, "orders_flink", target, "orders_flink", COLUMNS, "id");
  }

  @Test
  void postgresToPostgresOnTheDirectRunnerWithListPartitions() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    SampleTables.postgres(source, "orders_direct", ROWS);
    TestDatabases.execute(target, "DROP TABLE IF EXISTS orders_direct");
    LoadFixture fixture = new LoadFixture("pg_pg_direct", source, target);
    fixture.define(
        LoadFixture.load("orders", "public.orders_direct", "orders_direct")
            .batchSize(1_500)
            .partitionStrategy(PartitionStrategy.LIST)
            .partitionColumn("country")
            .partitionValues(List.of("DE", "FR", "US", "JP", "BR"))
            .build());

    RunReport report = fixture.run("DirectRunner", "orders").get(0);

    assertThat(report.partitions(), equalTo(5));
    TableComparison.assertSameRows(source, "orders_direct", target, "orders_direct", COLUMNS, "id");
  }

  @Test
  void postgresToPostgresWithATimestampSplitKeyPassesCopyTuplesThrough() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    SampleTables.postgres(source, "orders_by_time", ROWS);
    TestDatabases.execute(target, "DROP TABLE IF EXISTS orders_by_time");
    LoadFixture fixture = new LoadFixture("pg_pg_time", source, target);
    fixture.define(
        LoadFixture.load("orders", "orders_by_time", "orders_by_time")
            .splitKey("created_at")
            .batchSize(1_000)
            .partitionStrategy(PartitionStrategy.RANGE)
            .partitionValues(List.of("2024-01-01 03:00:00", "2024-01-01 07:30:00.5"))
            .build());

    RunReport report = fixture.run("DirectRunner", "orders").get(0);

    assertThat(report.partitions(), equalTo(3));
    assertPassedThrough(fixture, report);
    TableComparison.assertSameRows(
        source, "orders_by_time", target, "orders_by_time", COLUMNS, "id");
  }

  @Test
  void postgresToPostgresWithARepeatedDateSplitKeyPassesCopyTuplesThrough() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS orders_by_day",
        "CREATE TABLE orders_by_day (id bigint PRIMARY KEY, sold_on date NOT NULL, note text)",
        "INSERT INTO orders_by_day SELECT x, date '1999-12-25' + (x / 37)::int, 'n' || x FROM generate_series(1::bigint, 30000::bigint) x");
    TestDatabases.execute(target, "DROP TABLE IF EXISTS orders_by_day");
    LoadFixture fixture = new LoadFixture("pg_pg_day", source, target);
    fixture.define(
        LoadFixture.load("days", "orders_by_day", "orders_by_day")
            .splitKey("sold_on")
            .batchSize(500)
            .build());

    RunReport report = fixture.run("FlinkRunner", "days").get(0);

    assertThat(report.rows(), equalTo(30_000L));
    assertPassedThrough(fixture, report);
    TableComparison.assertSameRows(
        source, "orders_by_day", target, "orders_by_day", "id, sold_on, note", "id");
  }

  @Test
  void duplicateKeysFailThePublicationAndLeaveTheTargetUntouched() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS dup_source",
        "CREATE TABLE dup_source (id bigint NOT NULL, v text)",
        "INSERT INTO dup_source SELECT x, 'v' || x FROM generate_series(1::bigint, 5000::bigint) x",
        "INSERT INTO dup_source VALUES (4321, 'again')");
    TestDatabases.execute(
        target,
        "DROP TABLE IF EXISTS dup_target, dup_target_ml_stg_1, dup_target_ml_ledger_1",
        "CREATE TABLE dup_target (id bigint PRIMARY KEY, v text)",
        "INSERT INTO dup_target VALUES (-1, 'published earlier')");
    LoadFixture fixture = new LoadFixture("pg_dup", source, target);
    fixture.define(LoadFixture.load("dups", "dup_source", "dup_target").batchSize(700).build());

    MetaloadException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            MetaloadException.class, () -> fixture.run("DirectRunner", "dups"));

    assertThat(e.getMessage(), org.hamcrest.Matchers.containsString("4321"));
    assertThat(TestDatabases.count(target, "dup_target"), equalTo(1L));
    assertThat(fixture.runSummary(1).status, equalTo(RunStatus.FAILED));
  }

  @Test
  void everyRunThatFailsInFinalizeIsMarkedAndReportedNotOnlyTheFirst() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    LoadFixture fixture = new LoadFixture("pg_two_dups", source, target);
    for (String t : new String[] {"dupa", "dupb"}) {
      TestDatabases.execute(
          source,
          "DROP TABLE IF EXISTS " + t + "_source",
          "CREATE TABLE " + t + "_source (id bigint NOT NULL, v text)",
          "INSERT INTO "
              + t
              + "_source SELECT x, 'v' || x FROM generate_series(1::bigint, 2000::bigint) x",
          "INSERT INTO " + t + "_source VALUES (1234, 'again')");
      TestDatabases.execute(
          target,
          "DROP TABLE IF EXISTS "
              + t
              + "_target, "
              + t
              + "_target_ml_stg_1, "
              + t
              + "_target_ml_ledger_1, "
              + t
              + "_target_ml_stg_2, "
              + t
              + "_target_ml_ledger_2",
          "CREATE TABLE " + t + "_target (id bigint PRIMARY KEY, v text)");
      fixture.define(LoadFixture.load(t, t + "_source", t + "_target").batchSize(500).build());
    }

    MetaloadException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            MetaloadException.class, () -> fixture.run("DirectRunner", "dupa", "dupb"));

    assertThat(e.getMessage(), org.hamcrest.Matchers.startsWith("2 of 2 runs failed"));
    assertThat(e.failures().size(), equalTo(2));
    for (int i = 0; i < 2; i++) {
      MetaloadException one = e.failures().get(i);
      assertThat(one.context().get("run"), equalTo((long) i + 1));
      assertThat(one.context().get("load"), equalTo(i == 0 ? "dupa" : "dupb"));
      assertThat(one.getMessage(), org.hamcrest.Matchers.containsString("--resume"));
      assertThat(fixture.runSummary(i + 1).status, equalTo(RunStatus.FAILED));
      assertThat(fixture.runSummary(i + 1).message, org.hamcrest.Matchers.containsString("1234"));
    }
  }

  @Test
  void mariaDbToPostgres() {
    ConnectionSpec source = TestDatabases.mariadb("metaload_src");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    SampleTables.mariadb(source, "orders_maria", ROWS);
    TestDatabases.execute(target, "DROP TABLE IF EXISTS orders_maria");
    LoadFixture fixture = new LoadFixture("maria_pg", source, target);
    fixture.define(
        LoadFixture.load("orders", "orders_maria", "orders_maria").batchSize(2_500).build());

    fixture.run("DirectRunner", "orders");

    TableComparison.assertSameRows(source, "orders_maria", target, "orders_maria", COLUMNS, "id");
  }

  @Test
  void postgresToMariaDbOnTheFlinkLocalRunnerIntoAnExistingTarget() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    ConnectionSpec target = TestDatabases.mariadb("metaload_dst");
    SampleTables.postgres(source, "orders_to_maria", ROWS);
    SampleTables.mariadb(target, "orders_to_maria", 10);
    LoadFixture fixture = new LoadFixture("pg_maria", source, target);
    fixture.define(
        LoadFixture.load("orders", "orders_to_maria", "orders_to_maria")
            .batchSize(2_500)
            .partitionStrategy(PartitionStrategy.RANGE)
            .partitionValues(List.of("10000", "30000"))
            .build());

    RunReport report = fixture.run("FlinkRunner", "orders").get(0);

    assertThat(report.rows(), equalTo((long) ROWS));
    TableComparison.assertSameRows(
        source, "orders_to_maria", target, "orders_to_maria", COLUMNS, "id");
  }

  /** The run's pipeline read the source's binary COPY tuples and passed them through undecoded. */
  private static void assertPassedThrough(LoadFixture fixture, RunReport report) {
    LoadFixture.ReadPathTaken read = fixture.readPath(report.runId());
    assertThat(read.describe(), read.path(), equalTo(ReadPath.COPY_PASS_THROUGH));
  }
}

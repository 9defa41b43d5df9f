package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.RunPlanner;
import io.metaload.metadata.plan.SourceSnapshot;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * A planning pass that only balances read units and that the source cancels as past its statement
 * timeout (SQLState 57014) gives a coarser plan with a warning, not a failed run: the units are cut
 * evenly over the key range, the snapshot transaction planning ran in stays usable, and the load is
 * exact. A cancelled count gives the key's bounds from their own queries and the planner's estimate
 * of the rows, and the load is still exact. The cancellation is the database's own: the source is a
 * view whose key column calls a function that raises {@code query_canceled} inside the quantile
 * pass's query and nowhere else (for a table read in heap order, a row-level security policy's
 * function inside the pass counting runs of pages).
 */
class PlanningTimeoutIT {
  /**
   * Ends a probe's {@code IF}: the error PostgreSQL raises for a statement past its {@code
   * statement_timeout}.
   */
  private static final String CANCEL =
      "RAISE EXCEPTION 'canceling statement due to statement timeout' USING ERRCODE = 'query_canceled'; "
          + "END IF; ";

  @Test
  void aCancelledQuantilePassGivesEvenUnitsAndAWarningAndTheLoadIsExact() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    probedView(
        source,
        "pt_orders",
        "g * g",
        3000,
        "IF current_query() LIKE '%ROW_NUMBER()%' THEN " + CANCEL);
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(target, "DROP TABLE IF EXISTS pt_orders");
    LoadFixture fixture = new LoadFixture("pt", source, target);
    LoadDefinition load = LoadFixture.load("pt", "pt_orders", "pt_orders").batchSize(100).build();
    fixture.define(load);

    LoadPlan plan;
    try (SourceSnapshot snapshot =
        SourceSnapshot.export(fixture.config.connection("src")).orElseThrow()) {
      plan = new RunPlanner(fixture.config).plan(load, snapshot);
      try (Statement s = snapshot.connection().createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM pt_orders_base")) {
        rs.next();
        assertThat("the snapshot's transaction is still usable", rs.getLong(1), equalTo(3000L));
      }
    }
    assertThat(
        plan.warnings(),
        hasItem(
            Matchers.allOf(
                containsString("the quantile pass over pt_orders was stopped by the source"),
                containsString("its read units are cut evenly over the key range"))));
    assertThat(plan.partitions().get(0).quantiles(), equalTo(List.of()));
    assertThat(plan.sourceRows(), equalTo(3000L));

    RunReport report = fixture.run("DirectRunner", "pt").get(0);

    assertThat(report.rows(), equalTo(3000L));
    TableComparison.assertSameRows(source, "pt_orders_base", target, "pt_orders", "id, note", "id");
  }

  @Test
  void aCancelledCountGivesAnEstimatedPartitionAndTheLoadIsStillExact() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    probedView(
        source,
        "pt_counted",
        "g * 3",
        2500,
        "IF current_query() LIKE '%COUNT(*), MIN(%' THEN " + CANCEL,
        "ANALYZE pt_counted_base",
        "DELETE FROM pt_counted_base WHERE id BETWEEN 3000 AND 4500");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(target, "DROP TABLE IF EXISTS pt_counted");
    LoadFixture fixture = new LoadFixture("pt_counted", source, target);
    LoadDefinition load =
        LoadFixture.load("pt_counted", "pt_counted", "pt_counted").batchSize(100).build();
    fixture.define(load);

    LoadPlan plan = planInSnapshot(fixture, load);
    assertThat(
        plan.warnings(),
        hasItem(
            Matchers.allOf(
                containsString("counting the rows of pt_counted"),
                containsString("was stopped by the source"),
                containsString("its rows are the database's estimate"))));
    assertThat(plan.partitions().get(0).rowsEstimated(), equalTo(true));
    assertThat("the key's bounds are exact", plan.partitions().get(0).keyFrom(), equalTo(3L));
    assertThat(plan.partitions().get(0).keyTo(), equalTo(7501L));
    assertThat(
        "the estimate is the planner's, from statistics taken before 501 rows were deleted",
        (double) plan.sourceRows(),
        Matchers.closeTo(2500, 250));

    RunReport report = fixture.run("DirectRunner", "pt_counted").get(0);

    assertThat(
        "validation did not compare the rows read with the estimate",
        report.rows(),
        equalTo(1999L));
    TableComparison.assertSameRows(
        source, "pt_counted_base", target, "pt_counted", "id, note", "id");
  }

  @Test
  void aFailedRunWithAnEstimatedPartitionResumesWithoutCountingItAgain() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS pt_resume_fail",
        "CREATE TABLE pt_resume_fail (k bigint)",
        "INSERT INTO pt_resume_fail VALUES (3000)");
    probedView(
        source,
        "pt_resume",
        "g * 2",
        2000,
        "IF current_query() LIKE '%COUNT(*)%' AND current_query() NOT LIKE '%IS NULL%' THEN "
            + CANCEL
            + "IF current_query() LIKE 'COPY%' AND EXISTS (SELECT 1 FROM pt_resume_fail f WHERE f.k = pt_resume_probe.k) THEN "
            + "RAISE EXCEPTION 'injected read failure at %', k; END IF; ",
        "ANALYZE pt_resume_base");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(target, "DROP TABLE IF EXISTS pt_resume");
    LoadFixture fixture = new LoadFixture("pt_resume", source, target);
    fixture.define(LoadFixture.load("pt_resume", "pt_resume", "pt_resume").batchSize(100).build());

    RuntimeException failed =
        org.junit.jupiter.api.Assertions.assertThrows(
            RuntimeException.class, () -> fixture.run("DirectRunner", "pt_resume"));
    assertThat(
        String.valueOf(failed.getMessage()) + failed.getCause(),
        containsString("injected read failure"));
    TestDatabases.execute(source, "DELETE FROM pt_resume_fail");
    RunReport report =
        new LoadRunner(fixture.config)
            .run(
                List.of("pt_resume"),
                org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs("--runner=DirectRunner")
                    .create(),
                LoadRunner.Resume.latestOr(null))
            .get(0);

    assertThat(report.rows(), equalTo(2000L));
    TableComparison.assertSameRows(source, "pt_resume_base", target, "pt_resume", "id, note", "id");
  }

  @Test
  void aMariadbCountStoppedByMaxStatementTimeGivesAnEstimatedPartitionAndTheLoadIsExact()
      throws Exception {
    ConnectionSpec source = TestDatabases.mariadb("metaload_src");
    TestDatabases.execute(
        source,
        "DROP VIEW IF EXISTS pt_m",
        "DROP TABLE IF EXISTS pt_m_base",
        "DROP FUNCTION IF EXISTS pt_m_probe",
        "CREATE TABLE pt_m_base (id bigint PRIMARY KEY, note varchar(20) NOT NULL)",
        "INSERT INTO pt_m_base SELECT seq * 3, concat('row ', seq) FROM seq_1_to_1000",
        "ANALYZE TABLE pt_m_base",
        "CREATE FUNCTION pt_m_probe(k bigint) RETURNS bigint READS SQL DATA BEGIN "
            + "IF (SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()) LIKE '%COUNT(*), MIN(%' THEN "
            + "SIGNAL SQLSTATE '70100' SET MESSAGE_TEXT = 'Query execution was interrupted (max_statement_time exceeded)', "
            + "MYSQL_ERRNO = 1969; END IF; RETURN k; END",
        "CREATE VIEW pt_m AS SELECT pt_m_probe(id) AS id, note FROM pt_m_base");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(target, "DROP TABLE IF EXISTS pt_m");
    LoadFixture fixture = new LoadFixture("pt_m", source, target);
    LoadDefinition load = LoadFixture.load("pt_m", "pt_m", "pt_m").batchSize(100).build();
    fixture.define(load);

    LoadPlan plan = new RunPlanner(fixture.config).plan(load, null);
    assertThat(
        plan.warnings(),
        hasItem(
            Matchers.allOf(
                containsString("counting the rows of pt_m"),
                containsString("its rows are the database's estimate"))));
    assertThat(plan.partitions().get(0).rowsEstimated(), equalTo(true));
    assertThat(plan.partitions().get(0).keyTo(), equalTo(3001L));
    assertThat(plan.sourceRows(), Matchers.greaterThan(0L));

    RunReport report = fixture.run("DirectRunner", "pt_m").get(0);

    assertThat(report.rows(), equalTo(1000L));
    TableComparison.assertSameRows(source, "pt_m_base", target, "pt_m", "id, note", "id");
  }

  /**
   * A table read in heap order cannot be probed through a view (a view has no heap), so the source
   * connection is a role that row-level security applies to, and the policy's function raises
   * {@code query_canceled} inside the pass that counts runs of pages.
   */
  @Test
  void aCancelledPassCountingHeapPagesGivesEvenPageCutsAndTheLoadIsExact() throws Exception {
    ConnectionSpec admin = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        admin,
        "DO $$ BEGIN CREATE ROLE metaload_rls LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        "DROP TABLE IF EXISTS pt_heap",
        "CREATE TABLE pt_heap (id uuid PRIMARY KEY, note text NOT NULL)",
        "INSERT INTO pt_heap SELECT md5(g::text)::uuid, 'row ' || g FROM generate_series(1, 20000) g",
        "ANALYZE pt_heap",
        "CREATE OR REPLACE FUNCTION pt_heap_probe() RETURNS boolean LANGUAGE plpgsql STABLE AS $$ BEGIN "
            + "IF current_query() LIKE '%unnest(%' OR current_query() ILIKE '%row_number()%' THEN "
            + CANCEL
            + "RETURN true; END $$",
        "ALTER TABLE pt_heap ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY pt_heap_probe ON pt_heap USING (pt_heap_probe())",
        "GRANT SELECT ON pt_heap TO metaload_rls");
    ConnectionSpec source = ConnectionSpec.of("pg-rls", admin.url(), "metaload_rls", "");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(target, "DROP TABLE IF EXISTS pt_heap");
    LoadFixture fixture = new LoadFixture("pt_heap", source, target);
    LoadDefinition load = LoadFixture.load("pt_heap", "pt_heap", "pt_heap").batchSize(1000).build();
    fixture.define(load);

    LoadPlan plan = planInSnapshot(fixture, load);
    assertThat("read in heap order", plan.heapOrder() != null, equalTo(true));
    assertThat(
        plan.warnings(),
        hasItem(
            Matchers.allOf(
                containsString(
                    "the pass counting the runs of heap pages of pt_heap was stopped by the source"),
                containsString("its runs of heap pages are cut evenly by size"))));
    assertThat("the rows are still counted exactly", plan.sourceRows(), equalTo(20000L));
    assertThat(plan.partitions().get(0).rowsEstimated(), equalTo(false));

    RunReport report = fixture.run("DirectRunner", "pt_heap").get(0);

    assertThat(report.rows(), equalTo(20000L));
    TableComparison.assertSameRows(admin, "pt_heap", target, "pt_heap", "id, note", "id");
  }

  @Test
  void aQueryThatFailsForAnotherReasonStillFailsThePlan() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    probedView(
        source,
        "pt_broken",
        "g * g",
        3000,
        "IF current_query() LIKE '%ROW_NUMBER()%' THEN RAISE EXCEPTION 'disk full' USING ERRCODE = 'disk_full'; END IF; ");
    LoadFixture fixture =
        new LoadFixture("pt_broken", source, TestDatabases.postgres("metaload_dst"));
    LoadDefinition load =
        LoadFixture.load("pt_broken", "pt_broken", "pt_broken").batchSize(100).build();

    MetaloadException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            MetaloadException.class, () -> new RunPlanner(fixture.config).plan(load, null));
    assertThat(e.getMessage(), containsString("disk full"));
  }

  /** The plan of {@code load}, made in a source snapshot as a run makes it. */
  private static LoadPlan planInSnapshot(LoadFixture fixture, LoadDefinition load) {
    try (SourceSnapshot snapshot =
        SourceSnapshot.export(fixture.config.connection("src")).orElseThrow()) {
      return new RunPlanner(fixture.config).plan(load, snapshot);
    }
  }

  /**
   * A PostgreSQL view {@code name} of {@code id, note} over a new table {@code name_base} of {@code
   * rows} rows (id {@code idOf(g)}), whose id passes through a function {@code name_probe(k)} that
   * runs the PL/pgSQL statements {@code probe} for every row; {@code setup} runs on the table
   * first.
   */
  private static void probedView(
      ConnectionSpec db, String name, String idOf, int rows, String probe, String... setup) {
    String base = name + "_base";
    TestDatabases.execute(
        db,
        "DROP VIEW IF EXISTS " + name,
        "DROP TABLE IF EXISTS " + base,
        "CREATE TABLE " + base + " (id bigint PRIMARY KEY, note text NOT NULL)",
        "INSERT INTO "
            + base
            + " SELECT "
            + idOf
            + ", 'row ' || g FROM generate_series(1, "
            + rows
            + ") g");
    TestDatabases.execute(db, setup);
    TestDatabases.execute(
        db,
        "CREATE OR REPLACE FUNCTION "
            + name
            + "_probe(k bigint) RETURNS bigint LANGUAGE plpgsql STABLE AS $$ BEGIN "
            + probe
            + "RETURN k; END $$",
        "CREATE VIEW " + name + " AS SELECT " + name + "_probe(id) AS id, note FROM " + base);
  }
}

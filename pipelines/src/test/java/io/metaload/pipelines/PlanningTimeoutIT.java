package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.RunPlanner;
import io.metaload.metadata.plan.SourceSnapshot;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * A planning pass that only balances read units and that the source cancels as past its
 * statement timeout (SQLState 57014) gives a coarser plan with a warning, not a failed run: the
 * units are cut evenly over the key range, the snapshot transaction planning ran in stays
 * usable, and the load is exact. The cancellation is the database's own: the source is a view
 * whose key column calls a function that raises {@code query_canceled} inside the quantile
 * pass's query and nowhere else.
 */
class PlanningTimeoutIT {
  @Test
  void aCancelledQuantilePassGivesEvenUnitsAndAWarningAndTheLoadIsExact() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(source, "DROP VIEW IF EXISTS pt_orders", "DROP TABLE IF EXISTS pt_base",
        "CREATE TABLE pt_base (id bigint PRIMARY KEY, note text NOT NULL)",
        "INSERT INTO pt_base SELECT g * g, 'row ' || g FROM generate_series(1, 3000) g",
        "CREATE OR REPLACE FUNCTION pt_probe(k bigint) RETURNS bigint LANGUAGE plpgsql STABLE AS $$ BEGIN "
            + "IF current_query() LIKE '%ROW_NUMBER()%' THEN "
            + "RAISE EXCEPTION 'canceling statement due to statement timeout' USING ERRCODE = 'query_canceled'; END IF; "
            + "RETURN k; END $$",
        "CREATE VIEW pt_orders AS SELECT pt_probe(id) AS id, note FROM pt_base");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(target, "DROP TABLE IF EXISTS pt_orders");
    LoadFixture fixture = new LoadFixture("pt", source, target);
    LoadDefinition load = LoadFixture.load("pt", "pt_orders", "pt_orders").batchSize(100).build();
    fixture.define(load);

    LoadPlan plan;
    try (SourceSnapshot snapshot = SourceSnapshot.export(fixture.config.connection("src")).orElseThrow()) {
      plan = new RunPlanner(fixture.config).plan(load, snapshot);
      try (java.sql.Statement s = snapshot.connection().createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM pt_base")) {
        rs.next();
        assertThat("the snapshot's transaction is still usable", rs.getLong(1), equalTo(3000L));
      }
    }
    assertThat(plan.warnings(), hasItem(Matchers.allOf(containsString("the quantile pass over pt_orders was stopped by the source"),
        containsString("its read units are cut evenly over the key range"))));
    assertThat(plan.partitions().get(0).quantiles(), equalTo(java.util.List.of()));
    assertThat(plan.sourceRows(), equalTo(3000L));

    RunReport report = fixture.run("DirectRunner", "pt").get(0);

    assertThat(report.rows(), equalTo(3000L));
    TableComparison.assertSameRows(source, "pt_base", target, "pt_orders", "id, note", "id");
  }

  @Test
  void aQueryThatFailsForAnotherReasonStillFailsThePlan() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(source, "DROP VIEW IF EXISTS pt_broken", "DROP TABLE IF EXISTS pt_broken_base",
        "CREATE TABLE pt_broken_base (id bigint PRIMARY KEY)",
        "INSERT INTO pt_broken_base SELECT g * g FROM generate_series(1, 3000) g",
        "CREATE OR REPLACE FUNCTION pt_broken_probe(k bigint) RETURNS bigint LANGUAGE plpgsql STABLE AS $$ BEGIN "
            + "IF current_query() LIKE '%ROW_NUMBER()%' THEN RAISE EXCEPTION 'disk full' USING ERRCODE = 'disk_full'; END IF; "
            + "RETURN k; END $$",
        "CREATE VIEW pt_broken AS SELECT pt_broken_probe(id) AS id FROM pt_broken_base");
    LoadFixture fixture = new LoadFixture("pt_broken", source, TestDatabases.postgres("metaload_dst"));
    LoadDefinition load = LoadFixture.load("pt_broken", "pt_broken", "pt_broken").batchSize(100).build();

    io.metaload.metadata.error.MetaloadException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.metaload.metadata.error.MetaloadException.class, () -> new RunPlanner(fixture.config).plan(load, null));
    assertThat(e.getMessage(), containsString("disk full"));
  }
}

package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions a timestamp fence cannot date: a PostgreSQL prepared transaction (no session, no
 * start time) is waited for before the clock is read, or fails the run naming it; sessions of
 * another role, which a loader without {@code pg_read_all_stats} cannot see, refuse the load unless
 * a margin covers them. Lookback 0 throughout, so the fence alone keeps rows.
 */
class FenceVisibilityIT {
  private static final String COLUMNS = "id, amount, status, updated_at, event_at";

  @TempDir static Path dir;

  @Test
  void aPreparedTransactionOpenWhenARunPlansIsWaitedForAndItsRowIsLoaded() throws Exception {
    ConnectionSpec pg = requirePreparedTransactions(TestDatabases.postgres("metaload_src"));
    DeltaSource source = new DeltaSource(pg, "prep_orders").create(200, List.of());
    DeltaLoad load =
        new DeltaLoad(
            dir,
            "prep",
            source.table,
            pg,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: watermark, column: updated_at, fenceWait: 2m }",
            "merge");
    load.runOk();
    prepare(pg, source.table, 90001, "ml_fence_test_commit");
    try (MetaloadProcess run =
        MetaloadProcess.start(dir.resolve("prep-run.log"), Map.of(), load.args())) {
      run.awaitOutput("prepared transaction 'ml_fence_test_commit'");
      TestDatabases.execute(pg, "COMMIT PREPARED 'ml_fence_test_commit'");
      assertThat(run.output(), run.await(), equalTo(0));
    }
    TestDatabases.execute(
        pg,
        "INSERT INTO " + source.expected + " SELECT * FROM " + source.table + " WHERE id = 90001");
    assertThat(
        "the prepared transaction's row is in the window of the run that waited for it",
        load.targetRowsWithIds(List.of(90001L)),
        equalTo(1L));
    TableComparison.assertSameRows(pg, source.expected, load.target, load.table, COLUMNS, "id");
  }

  @Test
  void aPreparedTransactionThatStaysOpenFailsTheRunNamingIt() throws Exception {
    ConnectionSpec pg = requirePreparedTransactions(TestDatabases.postgres("metaload_src"));
    DeltaSource source = new DeltaSource(pg, "prep_open_orders").create(200, List.of());
    DeltaLoad load =
        new DeltaLoad(
            dir,
            "prep_open",
            source.table,
            pg,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: watermark, column: updated_at, fenceWait: 1s }",
            "merge");
    load.runOk();
    prepare(pg, source.table, 90002, "ml_fence_test_open");
    try {
      CliRun blocked = CliRun.metaload(load.args());
      assertThat(blocked.err, blocked.exitCode, equalTo(1));
      assertThat(blocked.err, containsString("prepared transaction 'ml_fence_test_open'"));
      assertThat(blocked.err, containsString("COMMIT PREPARED or ROLLBACK PREPARED"));
    } finally {
      TestDatabases.execute(pg, "COMMIT PREPARED 'ml_fence_test_open'");
    }
    TestDatabases.execute(
        pg,
        "INSERT INTO " + source.expected + " SELECT * FROM " + source.table + " WHERE id = 90002");
    load.runOk("--auto-resume");
    TableComparison.assertSameRows(pg, source.expected, load.target, load.table, COLUMNS, "id");
  }

  @Test
  void aLoaderThatCannotSeeOtherRolesSessionsIsRefusedUnlessAMarginCoversThem() throws Exception {
    ConnectionSpec admin = TestDatabases.postgres("metaload_src");
    DeltaSource source = new DeltaSource(admin, "blind_orders").create(200, List.of());
    TestDatabases.execute(
        admin,
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ml_blind_loader') THEN "
            + "CREATE ROLE ml_blind_loader LOGIN; END IF; END $$",
        "GRANT SELECT ON " + source.table + " TO ml_blind_loader");
    ConnectionSpec blind = ConnectionSpec.of("blind", admin.url(), "ml_blind_loader", "");
    DeltaLoad refused =
        new DeltaLoad(
            dir,
            "blind",
            source.table,
            blind,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: watermark, column: updated_at }",
            "merge");
    CliRun run = CliRun.metaload(refused.args());
    assertThat(run.err, run.exitCode, equalTo(2));
    assertThat(run.err, containsString("cannot see other roles' transactions: ml_blind_loader"));
    assertThat(run.err, containsString("GRANT pg_read_all_stats TO ml_blind_loader"));
    assertThat(run.err, containsString("delta.fenceMargin"));
    CliRun validated =
        CliRun.metaload("validate", "--config", refused.config.toString(), "--load", refused.name);
    assertThat(
        "validate refuses it too: " + validated.out + validated.err,
        validated.exitCode,
        equalTo(2));

    DeltaLoad covered =
        new DeltaLoad(
            dir,
            "blind_margin",
            source.table,
            blind,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: watermark, column: updated_at, fenceMargin: 15s }",
            "merge");
    covered.runOk();
    try (Connection writer = admin.open();
        Statement s = writer.createStatement()) {
      writer.setAutoCommit(false);
      s.execute(
          "INSERT INTO "
              + source.table
              + " ("
              + DeltaSource.COLUMNS
              + ") VALUES (90003, 1.00, 'late', clock_timestamp(), clock_timestamp())");
      covered.runOk();
      assertThat(
          "the open transaction's row is not visible yet",
          covered.targetRowsWithIds(List.of(90003L)),
          equalTo(0L));
      writer.commit();
    }
    CliRun warned =
        CliRun.metaload("validate", "--config", covered.config.toString(), "--load", covered.name);
    assertThat(warned.out + warned.err, containsString("WARNING: clock only"));
    TestDatabases.execute(
        admin,
        "INSERT INTO " + source.expected + " SELECT * FROM " + source.table + " WHERE id = 90003");
    TestDatabases.awaitTrue(
        admin,
        "SELECT (localtimestamp > max(updated_at) + interval '16 seconds')::int FROM "
            + source.table,
        60);
    covered.runOk();
    TableComparison.assertSameRows(
        admin, source.expected, covered.target, source.table, COLUMNS, "id");
  }

  private static void prepare(ConnectionSpec pg, String table, long id, String gid)
      throws Exception {
    try (Connection c = pg.open();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute(
          "INSERT INTO "
              + table
              + " ("
              + DeltaSource.COLUMNS
              + ") VALUES ("
              + id
              + ", 1.00, 'prepared', clock_timestamp(), clock_timestamp())");
      s.execute("PREPARE TRANSACTION '" + gid + "'");
      c.setAutoCommit(true);
    }
  }

  private static ConnectionSpec requirePreparedTransactions(ConnectionSpec pg) {
    String max = TestDatabases.strings(pg, "SHOW max_prepared_transactions").get(0);
    if (max.equals("0")) {
      String why =
          "PostgreSQL has max_prepared_transactions = 0: ALTER SYSTEM SET max_prepared_transactions = 8 and restart it "
              + "(.ci/run does)";
      if (Boolean.getBoolean("metaload.requireDatabases")) {
        Assertions.fail(why);
      }
      org.junit.jupiter.api.Assumptions.abort(why);
    }
    return pg;
  }
}

package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunStatus;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stops a real metaload process at each named point of a run, kills it there with SIGKILL, and runs
 * the same command again with {@code --auto-resume}, as an orchestrator's retry would. For every
 * point the run ends SUCCEEDED, the target equals the source row for row, no staging, ledger or
 * retired table is left, the protocol and the run agree with the target, and the target's
 * publication log records exactly one publication.
 */
class KillPointIT {
  private static final int ROWS = 12_000;
  private static final int BATCH = 1_000;
  private static final String TABLE = "kill_orders";
  private static final String COLUMNS =
      "id, customer_id, created_at, amount, status, country, note, paid, ship_date";

  /** Points reached before the run row exists: the retry starts the run afresh. */
  private static final Set<String> BEFORE_RUN_ROW =
      Set.of("after-lock", "planning", "run-id-taken");

  /** Points in the pipeline: let a few batches commit first. */
  private static final Set<String> IN_PIPELINE = Set.of("batch-loaded", "batch-committed");

  @TempDir static Path dir;
  static ConnectionSpec pgSource;
  static ConnectionSpec pgTarget;
  static ConnectionSpec mariaSource;
  static ConnectionSpec mariaTarget;

  @BeforeAll
  static void createSources() {
    pgSource = TestDatabases.postgres("metaload_src");
    pgTarget = TestDatabases.postgres("metaload_dst");
    SampleTables.postgres(pgSource, TABLE, ROWS);
    mariaSource = TestDatabases.mariadb("metaload_src");
    mariaTarget = TestDatabases.mariadb("metaload_dst");
    SampleTables.mariadb(mariaSource, TABLE, ROWS);
  }

  /** Every pause point the code has: a point added without a kill test here is a gap. */
  static List<String> everyPoint() {
    return PausePoints.NAMES;
  }

  @ParameterizedTest(name = "PostgreSQL killed at {0}")
  @MethodSource("everyPoint")
  void aPostgresRunKilledAtAnyPointResumesToTheExactTarget(String point) throws Exception {
    killThenRetry(point, pgSource, pgTarget, "pg");
  }

  @ParameterizedTest(name = "MariaDB killed at {0}")
  @ValueSource(
      strings = {
        "before-key-build",
        "before-swap",
        "during-swap",
        "after-swap",
        "during-cleanup",
        "before-status"
      })
  void aMariaDbRunKilledInFinalizeResumesToTheExactTarget(String point) throws Exception {
    killThenRetry(point, mariaSource, mariaTarget, "maria");
  }

  @ParameterizedTest(name = "{0} string key killed after committed batches")
  @ValueSource(strings = {"postgresql", "mariadb"})
  void aStringKeyedRunKilledAfterCommittedBatchesResumesToTheExactTarget(String db)
      throws Exception {
    boolean pg = db.equals("postgresql");
    ConnectionSpec source = pg ? pgSource : mariaSource;
    String table = "kill_codes";
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS " + table,
        pg
            ? "CREATE TABLE kill_codes (id uuid PRIMARY KEY, n integer NOT NULL, note text)"
            : "CREATE TABLE kill_codes (id varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci PRIMARY KEY, n integer NOT NULL, note text)",
        pg
            ? "INSERT INTO kill_codes SELECT md5(g::text)::uuid, g, 'row ' || g FROM generate_series(1, 20000) g"
            : "INSERT INTO kill_codes SELECT CONCAT(ELT(seq % 4 + 1, 'a', 'B', 'é', ''), seq * 7919 % 100003), seq, CONCAT('row ', seq) "
                + "FROM seq_1_to_20000");
    String name = "kill_codes_" + db;
    KillableLoad load = new KillableLoad(dir, name, table, source, pgTarget, 1000);
    Path pauses = Files.createDirectories(dir.resolve(name));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve(name + ".log"),
            MetaloadProcess.pauseAt("batch-committed", pauses, 3),
            load.run("--runner=DirectRunner"))) {
      process.awaitPause(pauses, "batch-committed");
      process.kill();
    }

    CliRun retried = CliRun.metaload(load.run("--auto-resume", "--runner=DirectRunner"));

    assertThat(retried.err, retried.exitCode, equalTo(0));
    TableComparison.assertSameRows(source, table, pgTarget, table, "id, n, note", "n");
    RunQueries.RunSummary run = load.runs().get(0);
    assertThat(run.message, run.status, equalTo(RunStatus.SUCCEEDED));
    assertThat("attempt", run.attempt, equalTo(2));
    assertThat(
        "rows carried over from the killed attempt",
        run.carriedRows,
        org.hamcrest.Matchers.greaterThanOrEqualTo(3000L));
    assertThat("protocol rows", load.protocolRows(run.runId), equalTo(20_000L));
    assertThat("left in the target", load.leftovers(), equalTo(List.of()));
  }

  private static void killThenRetry(
      String point, ConnectionSpec source, ConnectionSpec target, String db) throws Exception {
    String name = "kill_" + db + "_" + point.replace('-', '_');
    KillableLoad load = new KillableLoad(dir, name, TABLE, source, target, BATCH);
    Path pauses = Files.createDirectories(dir.resolve(name));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve(name + ".log"),
            MetaloadProcess.pauseAt(point, pauses, IN_PIPELINE.contains(point) ? 3 : 0),
            load.run("--runner=DirectRunner"))) {
      process.awaitPause(pauses, point);
      process.kill();
    }

    CliRun retried = CliRun.metaload(load.run("--auto-resume", "--runner=DirectRunner"));

    assertThat(retried.err, retried.exitCode, equalTo(0));
    TableComparison.assertSameRows(source, TABLE, target, TABLE, COLUMNS, "id");
    List<RunQueries.RunSummary> runs = load.runs();
    assertThat("runs recorded", runs, hasSize(1));
    RunQueries.RunSummary run = runs.get(0);
    assertThat(run.message, run.status, equalTo(RunStatus.SUCCEEDED));
    assertThat("attempt", run.attempt, equalTo(BEFORE_RUN_ROW.contains(point) ? 1 : 2));
    assertThat("rows written", run.rowsWritten, equalTo((long) ROWS));
    assertThat("protocol rows", load.protocolRows(run.runId), equalTo((long) ROWS));
    assertThat("target rows", TestDatabases.count(target, TABLE), equalTo((long) ROWS));
    assertThat("left in the target", load.leftovers(), equalTo(List.of()));
    assertThat("publication log", load.publications(), equalTo(List.of(run.runId + ":PUBLISHED")));
    System.out.printf(
        "killed at %-16s -> resumed: %s, attempt %d, %,d rows, carried %,d rows%n",
        point, run.status, run.attempt, run.rowsWritten, run.carriedRows);
  }
}

package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunStatus;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A target narrower than its source: a string too long, a number that overflows, a NULL in a NOT
 * NULL column and (on MariaDB, utf8mb3) a 4-byte character. The writer isolates exactly those rows
 * by bisection, rejects them with the database's message and publishes all the others; read =
 * written + rejected.
 */
class TargetRefusedRowsIT {
  private static final int ROWS = 2000;

  @TempDir static Path dir;
  static ConnectionSpec pg;
  static ConnectionSpec maria;
  static ConnectionSpec pgTarget;
  static ConnectionSpec mariaTarget;

  @BeforeAll
  static void createSources() {
    pg = TestDatabases.postgres("metaload_src");
    maria = TestDatabases.mariadb("metaload_src");
    pgTarget = TestDatabases.postgres("metaload_dst");
    mariaTarget = TestDatabases.mariadb("metaload_dst");
    TestDatabases.execute(
        pg,
        "DROP TABLE IF EXISTS tr_src",
        "CREATE TABLE tr_src (id bigint PRIMARY KEY, code text, amount numeric(12,2), qty integer)",
        "INSERT INTO tr_src SELECT n, CASE WHEN n % 400 = 0 THEN 'code-too-long-' || n WHEN n % 700 = 0 THEN 'e😀' || n ELSE 'c' || n END, "
            + "CASE WHEN n % 450 = 0 THEN 123456.78 ELSE n END, CASE WHEN n % 333 = 0 THEN NULL ELSE n END FROM generate_series(1, "
            + ROWS
            + ") n");
    TestDatabases.execute(
        maria,
        "DROP TABLE IF EXISTS tr_src",
        "CREATE TABLE tr_src (id bigint PRIMARY KEY, code text CHARACTER SET utf8mb4, amount decimal(12,2), qty integer)",
        "INSERT INTO tr_src SELECT seq, CASE WHEN seq % 400 = 0 THEN CONCAT('code-too-long-', seq) WHEN seq % 700 = 0 THEN CONCAT('e😀', seq) "
            + "ELSE CONCAT('c', seq) END, IF(seq % 450 = 0, 123456.78, seq), IF(seq % 333 = 0, NULL, seq) FROM seq_1_to_"
            + ROWS);
  }

  /**
   * Ids the target refuses: too long, overflowing, NULL; on a utf8mb3 MariaDB target also the
   * emoji.
   */
  private static List<Long> refused(boolean mariaTarget) {
    List<Long> out = new ArrayList<>();
    for (long n = 1; n <= ROWS; n++) {
      if (n % 400 == 0 || n % 450 == 0 || n % 333 == 0 || mariaTarget && n % 700 == 0) {
        out.add(n);
      }
    }
    return out;
  }

  @org.junit.jupiter.api.Test
  void aRunKilledAfterBatchesWithRefusedRowsResumesWithOneCopyOfEachReject() throws Exception {
    String name = "tr_kill";
    TestDatabases.execute(
        pgTarget,
        "DROP TABLE IF EXISTS " + name,
        "CREATE TABLE "
            + name
            + " (id bigint PRIMARY KEY, code varchar(8), amount numeric(7,2), qty integer NOT NULL)");
    ConnectionSpec metadata = TestDatabases.freshPostgres("metaload_meta_" + name);
    Path config = importLoad(name, metadata, pg, pgTarget, "tr_src", 20);
    String[] run = {"run", "--config", config.toString(), "--load", name, "--runner=DirectRunner"};
    Path pauses = Files.createDirectories(dir.resolve(name + "_pauses"));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve(name + ".log"),
            MetaloadProcess.pauseAt("batch-committed", pauses, 2),
            run)) {
      process.awaitPause(pauses, "batch-committed");
      process.kill();
    }

    CliRun resumed =
        CliRun.metaload(run[0], run[1], run[2], run[3], run[4], run[5], "--auto-resume");

    assertThat(resumed.err, resumed.exitCode, equalTo(0));
    List<Long> refused = refused(false);
    assertThat(
        TestDatabases.strings(
            metadata,
            "SELECT CONCAT(COUNT(*), ' ', COUNT(DISTINCT CONCAT(batch_id, '/', row_index))) "
                + "FROM load_reject"),
        equalTo(List.of(refused.size() + " " + refused.size())));
    assertThat(TestDatabases.count(pgTarget, name), equalTo((long) (ROWS - refused.size())));
    try (var store = MetadataStore.open(metadata)) {
      assertThat("attempt", store.status().runs(null, 1).get(0).attempt, equalTo(2));
    }
  }

  /**
   * Source and target of the same shape would pass binary COPY tuples through, but the target's
   * check refuses some rows: with {@code maxRejects} the run reads decoded rows, so those rows are
   * rejected one by one and the rest published.
   */
  @org.junit.jupiter.api.Test
  void aLoadThatTakesRejectsDecodesSoRowsThatFitTheTargetsShapeButFailItsCheckAreRejected()
      throws Exception {
    String name = "tr_passthrough";
    TestDatabases.execute(
        pg,
        "DROP TABLE IF EXISTS tr_same",
        "CREATE TABLE tr_same (id bigint PRIMARY KEY, qty integer NOT NULL)",
        "INSERT INTO tr_same SELECT n, CASE WHEN n % 100 = 0 THEN -n ELSE n END FROM generate_series(1, "
            + ROWS
            + ") n");
    TestDatabases.execute(
        pgTarget,
        "DROP TABLE IF EXISTS " + name,
        "CREATE TABLE " + name + " (id bigint PRIMARY KEY, qty integer NOT NULL CHECK (qty > 0))");
    ConnectionSpec metadata = TestDatabases.freshPostgres("metaload_meta_" + name);
    Path config = importLoad(name, metadata, pg, pgTarget, "tr_same", 100);

    CliRun r =
        CliRun.metaload(
            "run", "--config", config.toString(), "--load", name, "--runner=DirectRunner");

    assertThat(r.err, r.exitCode, equalTo(0));
    assertThat(
        TestDatabases.strings(pgTarget, "SELECT COUNT(*) FROM " + name),
        equalTo(TestDatabases.strings(pg, "SELECT COUNT(*) FROM tr_same WHERE qty > 0")));
    assertThat(
        TestDatabases.strings(
            metadata,
            "SELECT (row_data::json ->> 'id') FROM load_reject ORDER BY (row_data::json ->> 'id')::bigint"),
        equalTo(TestDatabases.strings(pg, "SELECT id FROM tr_same WHERE qty <= 0 ORDER BY id")));
  }

  @ParameterizedTest(name = "{0} to {1}")
  @CsvSource({"postgresql, postgresql", "mariadb, postgresql", "postgresql, mariadb"})
  void refusedRowsAreRejectedWithTheDatabasesReasonAndTheRestPublished(String from, String to)
      throws Exception {
    boolean toMaria = to.equals("mariadb");
    ConnectionSpec target = toMaria ? mariaTarget : pgTarget;
    String name = "tr_" + from + "_" + to;
    TestDatabases.execute(
        target,
        "DROP TABLE IF EXISTS " + name,
        toMaria
            ? "CREATE TABLE "
                + name
                + " (id bigint PRIMARY KEY, code varchar(8) CHARACTER SET utf8mb3, amount decimal(7,2), qty integer NOT NULL)"
            : "CREATE TABLE "
                + name
                + " (id bigint PRIMARY KEY, code varchar(8), amount numeric(7,2), qty integer NOT NULL)");
    ConnectionSpec metadata = TestDatabases.freshPostgres("metaload_meta_" + name);
    Path config =
        importLoad(name, metadata, from.equals("mariadb") ? maria : pg, target, "tr_src", 20);

    CliRun r =
        CliRun.metaload(
            "run", "--config", config.toString(), "--load", name, "--runner=DirectRunner");

    assertThat(r.err, r.exitCode, equalTo(0));
    List<Long> refused = refused(toMaria);
    List<String> expectedIds = new ArrayList<>();
    for (long n = 1; n <= ROWS; n++) {
      if (!refused.contains(n)) {
        expectedIds.add(n + ":" + n);
      }
    }
    assertThat(
        TestDatabases.strings(target, "SELECT CONCAT(id, ':', qty) FROM " + name + " ORDER BY id"),
        equalTo(expectedIds));
    assertThat(
        TestDatabases.strings(metadata, "SELECT step FROM load_reject"),
        everyItem(equalTo("target")));
    List<String> rejectedIds =
        TestDatabases.strings(
            metadata,
            "SELECT (row_data::json ->> 'id') FROM load_reject "
                + "ORDER BY (row_data::json ->> 'id')::bigint");
    List<String> expectedRejects = new ArrayList<>();
    refused.forEach(n -> expectedRejects.add(String.valueOf(n)));
    assertThat(rejectedIds, equalTo(expectedRejects));
    String reasons =
        String.join(
            "\n",
            TestDatabases.strings(metadata, "SELECT reason FROM load_reject ORDER BY reason"));
    if (toMaria) {
      assertThat(
          reasons,
          allOf(
              containsString("Data too long for column"),
              containsString("Out of range value"),
              containsString("cannot be null"),
              containsString("Incorrect string value")));
    } else {
      assertThat(
          reasons,
          allOf(
              containsString("value too long for type character varying(8)"),
              containsString("numeric field overflow"),
              containsString("null value in column \"qty\""),
              containsString("[SQLState 23502]")));
    }
    assertThat(
        TestDatabases.strings(
            metadata,
            "SELECT CONCAT(SUM(rows_read), ' ', SUM(rows_written), ' ', SUM(rows_rejected)) "
                + "FROM load_batch"),
        equalTo(List.of(ROWS + " " + (ROWS - refused.size()) + " " + refused.size())));
    try (var store = MetadataStore.open(metadata)) {
      RunQueries.RunSummary run = store.status().runs(null, 1).get(0);
      assertThat(run.message, run.status, equalTo(RunStatus.SUCCEEDED));
    }
  }

  /**
   * Writes the config and imports load {@code name}: {@code table} into target table {@code name},
   * batches of 500.
   */
  private static Path importLoad(
      String name,
      ConnectionSpec metadata,
      ConnectionSpec source,
      ConnectionSpec target,
      String table,
      int maxRejects)
      throws Exception {
    Path config = KillableLoad.writeConfig(dir, name, metadata, source, target);
    Path loads = dir.resolve(name + ".yaml");
    Files.writeString(
        loads,
        "loads:\n  - { name: "
            + name
            + ", source: { connection: src, table: "
            + table
            + " }, splitKey: id, batchSize: 500, maxRejects: "
            + maxRejects
            + ", target: { connection: dst, table: "
            + name
            + " } }\n");
    CliRun imported =
        CliRun.metaload("metadata", "import", "--config", config.toString(), loads.toString());
    assertThat(imported.err, imported.exitCode, equalTo(0));
    return config;
  }
}

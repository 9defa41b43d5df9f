package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import io.metaload.metadata.config.ConfigLoader;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunStatus;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL table keyed by a UUID or a collated string is read in runs of heap pages (ctid
 * ranges) rather than along its key, and the result is exact, in batches of at most the batch size
 * and more than three quarters of it however much free space deleted rows left. A process killed
 * with SIGKILL after committed batches resumes from its remaining pages when the table did not
 * change; when rows were updated (so they may have moved between pages), inserted or deleted in
 * between, or the table was rewritten, the resume reads the table again from the start and the
 * target equals the source as it is then; so does a resume whose check for such changes the source
 * stops at its {@code queryTimeout}.
 */
class HeapOrderIT {
  private static final int ROWS = 12_000;
  private static final int BATCH = 400;
  private static final String COLUMNS = "id, code, n, note";

  @TempDir static Path dir;
  static ConnectionSpec source;
  static ConnectionSpec target;

  @BeforeAll
  static void connect() {
    source = TestDatabases.postgres("metaload_src");
    target = TestDatabases.postgres("metaload_dst");
  }

  @Test
  void uuidAndCollatedStringKeysAreReadInHeapPageRangesExactly() throws Exception {
    for (String key : new String[] {"id", "code"}) {
      String name = "heap_read_" + key;
      createSource(name);
      TestDatabases.execute(
          source, "DELETE FROM " + name + " WHERE n % 5 = 0 OR n BETWEEN 3000 AND 6500");
      long rows = TestDatabases.count(source, name);
      Path config = prepare(name, key);
      String log =
          runToEnd(
              name + "-run",
              "run",
              "--config",
              config.toString(),
              "--load",
              name,
              "--runner=DirectRunner");

      assertThat(
          log,
          containsString(
              name + " is read in ranges of heap pages (ctid), not in order of its key " + key));
      TableComparison.assertSameRows(source, name, target, name, COLUMNS, "n");
      RunQueries.RunSummary summary = summary(config);
      assertThat(
          "batches of at most " + BATCH + " rows",
          summary.batches,
          greaterThanOrEqualTo((rows + BATCH - 1) / BATCH));
      assertThat(
          "batches of more than 3/4 of "
              + BATCH
              + " rows, the last one excepted, despite the deleted rows' free space",
          summary.batches,
          lessThanOrEqualTo((rows * 4 + 3L * BATCH - 1) / (3L * BATCH)));
    }
  }

  @Test
  void aKilledRunOverAnUnchangedTableResumesFromItsRemainingPages() throws Exception {
    String name = "heap_resume";
    createSource(name);
    Path config = prepare(name, "id");
    killAfterCommittedBatches(name, config, 6);

    String resumed =
        runToEnd(
            name + "-resume",
            "run",
            "--config",
            config.toString(),
            "--load",
            name,
            "--resume",
            "--runner=DirectRunner");

    assertThat(resumed, not(containsString("again from the start")));
    TableComparison.assertSameRows(source, name, target, name, COLUMNS, "n");
    RunQueries.RunSummary run = summary(config);
    assertThat(run.status, equalTo(RunStatus.SUCCEEDED));
    assertThat(run.attempt, equalTo(2));
    assertThat("rows carried over", run.carriedRows, greaterThan(0L));
    assertThat("rows read again", run.carriedRows + run.rowsReadThisAttempt, equalTo((long) ROWS));
  }

  @Test
  void aKilledRunWhoseRowsMovedBetweenPagesReadsTheTableAgain() throws Exception {
    String name = "heap_moved";
    createSource(name);
    Path config = prepare(name, "id");
    killAfterCommittedBatches(name, config, 6);
    TestDatabases.execute(
        source,
        "UPDATE " + name + " SET note = note || repeat('moved', 40) WHERE n % 9 = 0",
        "DELETE FROM " + name + " WHERE n % 17 = 0",
        "INSERT INTO "
            + name
            + " SELECT gen_random_uuid(), 'new-' || g, "
            + ROWS
            + " + g, 'new' FROM generate_series(1, 50) g");

    String resumed =
        runToEnd(
            name + "-resume",
            "run",
            "--config",
            config.toString(),
            "--load",
            name,
            "--resume",
            "--runner=DirectRunner");

    assertThat(resumed, containsString("were inserted or updated since the run planned"));
    assertThat(resumed, containsString("reading " + name + " again from the start"));
    TableComparison.assertSameRows(source, name, target, name, COLUMNS, "n");
    RunQueries.RunSummary run = summary(config);
    assertThat(run.attempt, equalTo(2));
    assertThat("nothing carried over", run.carriedRows, equalTo(0L));
  }

  @Test
  void aResumeWhoseChangeCheckTheSourceStopsReadsTheTableAgainInsteadOfFailing() throws Exception {
    String name = "heap_check_stopped";
    createSource(name);
    Path config = prepare(name, "id");
    killAfterCommittedBatches(name, config, 6);
    Files.writeString(
        config,
        Files.readString(config).replaceFirst("(  src: \\{[^}]*)\\}", "$1, queryTimeout: 5s }"));
    String resumed;
    try (Connection blocker = source.open()) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("LOCK TABLE " + name + " IN ACCESS EXCLUSIVE MODE");
      }
      try (MetaloadProcess process =
          MetaloadProcess.start(
              dir.resolve(name + "-resume.log"),
              Map.of(),
              "run",
              "--config",
              config.toString(),
              "--load",
              name,
              "--resume",
              "--runner=DirectRunner")) {
        process.awaitOutput("reading " + name + " again from the start");
        blocker.rollback();
        int exit = process.await();
        assertThat(process.output(), exit, equalTo(0));
        resumed = process.output();
      }
    }

    assertThat(
        resumed, containsString("were written since run 1 planned was stopped by the source"));
    assertThat(resumed, containsString("whether its rows moved between pages is unknown"));
    TableComparison.assertSameRows(source, name, target, name, COLUMNS, "n");
    RunQueries.RunSummary run = summary(config);
    assertThat(run.status, equalTo(RunStatus.SUCCEEDED));
    assertThat(run.attempt, equalTo(2));
    assertThat("nothing carried over", run.carriedRows, equalTo(0L));
  }

  @Test
  void aKilledRunWhoseTableWasRewrittenReadsItAgain() throws Exception {
    String name = "heap_rewritten";
    createSource(name);
    Path config = prepare(name, "code");
    killAfterCommittedBatches(name, config, 4);
    TestDatabases.execute(
        source, "DELETE FROM " + name + " WHERE n % 3 = 0", "VACUUM FULL " + name);

    String resumed =
        runToEnd(
            name + "-resume",
            "run",
            "--config",
            config.toString(),
            "--load",
            name,
            "--resume",
            "--runner=DirectRunner");

    assertThat(resumed, containsString("was rewritten"));
    TableComparison.assertSameRows(source, name, target, name, COLUMNS, "n");
    assertThat(summary(config).rowsReadThisAttempt, lessThanOrEqualTo((long) ROWS));
  }

  @Test
  void aKilledRunOfAPartitionedTableResumesFromEachPartitionsRemainingPages() throws Exception {
    String name = "heap_parts";
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS " + name,
        "CREATE TABLE "
            + name
            + " (id uuid NOT NULL, code varchar(40) NOT NULL, n integer NOT NULL, note text, PRIMARY KEY (id, n)) "
            + "PARTITION BY RANGE (n)",
        "CREATE TABLE "
            + name
            + "_low PARTITION OF "
            + name
            + " FOR VALUES FROM (MINVALUE) TO (5000)",
        "CREATE TABLE "
            + name
            + "_high PARTITION OF "
            + name
            + " FOR VALUES FROM (5000) TO (MAXVALUE)",
        "INSERT INTO "
            + name
            + " SELECT gen_random_uuid(), 'code-' || g, g, 'row ' || g FROM generate_series(1, "
            + ROWS
            + ") g");
    Path config = prepare(name, "id", ", partitioning: { strategy: source }");
    killAfterCommittedBatches(name, config, 8);

    String resumed =
        runToEnd(
            name + "-resume",
            "run",
            "--config",
            config.toString(),
            "--load",
            name,
            "--resume",
            "--runner=DirectRunner");

    assertThat(resumed, not(containsString("again from the start")));
    TableComparison.assertSameRows(source, name, target, name, COLUMNS, "n");
    RunQueries.RunSummary run = summary(config);
    assertThat(run.attempt, equalTo(2));
    assertThat("rows carried over", run.carriedRows, greaterThan(0L));
    assertThat("rows read again", run.carriedRows + run.rowsReadThisAttempt, equalTo((long) ROWS));
  }

  private static void createSource(String name) {
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS " + name,
        "CREATE TABLE "
            + name
            + " (id uuid PRIMARY KEY, code varchar(40) COLLATE \"en-US-x-icu\" NOT NULL UNIQUE, n integer NOT NULL, "
            + "note text) WITH (fillfactor = 100)",
        "INSERT INTO "
            + name
            + " SELECT gen_random_uuid(), (array['Key','key','kéy','Ärger','😀'])[g % 5 + 1] || '-' || md5(g::text), g, "
            + "'row ' || g FROM generate_series(1, "
            + ROWS
            + ") g");
  }

  private static Path prepare(String name, String key) throws Exception {
    return prepare(name, key, "");
  }

  private static Path prepare(String name, String key, String more) throws Exception {
    TestDatabases.execute(target, "DROP TABLE IF EXISTS " + name);
    ConnectionSpec metadata = TestDatabases.freshPostgres("metaload_meta_" + name);
    Path config = KillableLoad.writeConfig(dir, name, metadata, source, target);
    Path loads = dir.resolve(name + ".yaml");
    Files.writeString(
        loads,
        "loads:\n  - { name: "
            + name
            + ", source: { connection: src, table: "
            + name
            + " }, splitKey: "
            + key
            + ", batchSize: "
            + BATCH
            + more
            + ", target: { connection: dst, table: "
            + name
            + " } }\n");
    CliRun imported =
        CliRun.metaload("metadata", "import", "--config", config.toString(), loads.toString());
    assertThat(imported.err, imported.exitCode, equalTo(0));
    return config;
  }

  private static void killAfterCommittedBatches(String name, Path config, int batches)
      throws Exception {
    Path pauses = Files.createDirectories(dir.resolve(name + "_pauses"));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve(name + ".log"),
            MetaloadProcess.pauseAt("batch-committed", pauses, batches),
            "run",
            "--config",
            config.toString(),
            "--load",
            name,
            "--runner=DirectRunner")) {
      process.awaitPause(pauses, "batch-committed");
      process.kill();
    }
  }

  /** Runs metaload in its own JVM, asserts it succeeded, and returns its log. */
  private static String runToEnd(String logName, String... args) throws Exception {
    try (MetaloadProcess process =
        MetaloadProcess.start(dir.resolve(logName + ".log"), Map.of(), args)) {
      int exit = process.await();
      assertThat(process.output(), exit, equalTo(0));
      return process.output();
    }
  }

  private static RunQueries.RunSummary summary(Path config) {
    try (MetadataStore store =
        MetadataStore.open(ConfigLoader.fromSystemEnvironment().load(config).metadata())) {
      return store.status().runs(null, 1).get(0);
    }
  }
}

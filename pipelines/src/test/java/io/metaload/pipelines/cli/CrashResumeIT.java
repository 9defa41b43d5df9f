package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.metaload.metadata.config.ConfigLoader;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.plan.SourceSnapshot;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunStatus;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills a real metaload process (SIGKILL) on the Flink local runner part-way through a PostgreSQL
 * load, resumes it, and checks the target equals the source, that committed batches were not read
 * again, and that nothing is left behind. Also cuts the source connection mid-run with {@code
 * pg_terminate_backend}: the run recovers by itself.
 */
class CrashResumeIT {
  private static final int ROWS = 2_000_000;
  private static final int BATCH = 10_000;
  private static final int WORKERS = 2;
  private static final int BATCHES = ROWS / BATCH;
  private static final String COLUMNS =
      "id, customer_id, created_at, amount, status, country, note, paid, ship_date";

  @TempDir static Path dir;
  static ConnectionSpec source;
  static ConnectionSpec target;

  @BeforeAll
  static void createSource() {
    source = TestDatabases.postgres("metaload_src");
    target = TestDatabases.postgres("metaload_dst");
    SampleTables.postgres(source, "crash_orders", ROWS);
  }

  @ParameterizedTest(name = "killed at {0}% of batches")
  @ValueSource(ints = {30, 50, 70})
  void aKilledRunResumesWithoutRereadingCommittedBatches(int killAtPercent) throws Exception {
    Path config = prepare("crash_" + killAtPercent);
    Process process =
        launch(
            config,
            "run",
            "--config",
            config.toString(),
            "--load",
            "crash",
            "--parallelism=" + WORKERS);
    long protocolAtKill = waitForBatches(config, process, BATCHES * killAtPercent / 100);
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS), equalTo(true));
    assertThat(
        "protocol share at kill",
        protocolAtKill * 100.0 / BATCHES,
        allOf(greaterThanOrEqualTo(killAtPercent * 1.0), lessThanOrEqualTo(killAtPercent + 15.0)));

    CliRun refused = CliRun.metaload("run", "--config", config.toString(), "--load", "crash");
    assertThat(refused.err, refused.exitCode, equalTo(5));
    assertThat(refused.err, containsString("--resume"));

    CliRun resumed =
        CliRun.metaload(
            "run",
            "--config",
            config.toString(),
            "--load",
            "crash",
            "--resume",
            "--parallelism=" + WORKERS);
    assertThat(resumed.err, resumed.exitCode, equalTo(0));
    assertThat(resumed.out, containsString("; attempt 2 loaded "));
    assertThat(resumed.out, containsString("rows carried over from earlier attempts"));

    TableComparison.assertSameRows(source, "crash_orders", target, "crash_orders", COLUMNS, "id");
    RunQueries.RunSummary run = summary(config);
    assertThat(run.status, equalTo(RunStatus.SUCCEEDED));
    assertThat(run.attempt, equalTo(2));
    assertThat(run.carriedRows, greaterThanOrEqualTo(protocolAtKill * BATCH));
    assertThat(
        "rows re-read by the resumed run",
        run.rowsReadThisAttempt,
        lessThanOrEqualTo(ROWS - run.carriedRows + (long) BATCH * WORKERS));
    assertThat(run.carriedRows + run.rowsReadThisAttempt, greaterThanOrEqualTo((long) ROWS));
    assertThat(leftoverTables(), equalTo(List.of()));
    System.out.printf(
        "kill at %d%%: protocol showed %d of %d batches; carried %d batches / %,d rows; resumed run read %,d rows%n",
        killAtPercent,
        protocolAtKill,
        BATCHES,
        run.carriedBatches,
        run.carriedRows,
        run.rowsReadThisAttempt);
  }

  @Test
  void aTerminatedSourceConnectionIsRetriedAndTheResultIsExact() throws Exception {
    Path config = prepare("terminate");
    CompletableFuture<CliRun> run =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.metaload(
                    "run",
                    "--config",
                    config.toString(),
                    "--load",
                    "crash",
                    "--parallelism=" + WORKERS));
    waitForBatches(config, null, BATCHES / 5);
    int terminated = 0;
    for (int i = 0; i < 3 && !run.isDone(); i++) {
      terminated += terminateSourceReaders();
      Thread.sleep(700);
    }
    CliRun result = run.get(5, TimeUnit.MINUTES);

    assertThat(result.err, result.exitCode, equalTo(0));
    assertThat("source sessions terminated", terminated, greaterThan(0));
    TableComparison.assertSameRows(source, "crash_orders", target, "crash_orders", COLUMNS, "id");
    assertThat("retries recorded in the protocol", summary(config).retries, greaterThan(0L));
  }

  private static Path prepare(String name) throws IOException {
    ConnectionSpec metadata = TestDatabases.freshPostgres("metaload_meta_" + name);
    TestDatabases.execute(target, "DROP TABLE IF EXISTS crash_orders");
    for (String t : leftoverTables()) {
      TestDatabases.execute(target, "DROP TABLE IF EXISTS " + t);
    }
    Path config = dir.resolve(name + "-config.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "metadata: { url: '" + metadata.url() + "', user: postgres }",
            "connections:",
            "  src: { url: '" + source.url() + "', user: postgres }",
            "  dst: { url: '" + target.url() + "', user: postgres }",
            "retry: { maxAttempts: 5, initialBackoffMillis: 200, maxBackoffMillis: 2000 }",
            ""));
    Path loads = dir.resolve(name + "-loads.yaml");
    Files.writeString(
        loads,
        "loads:\n  - { name: crash, source: { connection: src, table: crash_orders }, splitKey: id, batchSize: "
            + BATCH
            + ", target: { connection: dst, table: crash_orders } }\n");
    CliRun imported =
        CliRun.metaload("metadata", "import", "--config", config.toString(), loads.toString());
    assertThat(imported.err, imported.exitCode, equalTo(0));
    return config;
  }

  /** Starts metaload in a separate JVM with this test's classpath. */
  private static Process launch(Path config, String... args) throws IOException {
    return MetaloadProcess.start(dir.resolve(config.getFileName() + ".process.log"), Map.of(), args)
        .process;
  }

  /**
   * Polls the protocol until it shows {@code batches} committed batches; returns the count seen.
   */
  private static long waitForBatches(Path config, Process process, long batches) throws Exception {
    ConnectionSpec metadata = ConfigLoader.fromSystemEnvironment().load(config).metadata();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    try (Connection c = openWhenReady(metadata, deadline);
        Statement s = c.createStatement()) {
      while (System.nanoTime() < deadline) {
        if (process != null && !process.isAlive()) {
          throw new AssertionError(
              "metaload exited early with "
                  + process.exitValue()
                  + ": "
                  + Files.readString(dir.resolve(config.getFileName() + ".process.log")));
        }
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM load_batch")) {
          rs.next();
          long seen = rs.getLong(1);
          if (seen >= batches) {
            return seen;
          }
        } catch (SQLException notMigratedYet) {
          // The process creates the protocol tables when it starts.
        }
        Thread.sleep(50);
      }
    }
    throw new AssertionError("the protocol never reached " + batches + " batches");
  }

  private static Connection openWhenReady(ConnectionSpec spec, long deadline) throws Exception {
    while (true) {
      try {
        return spec.open();
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static int terminateSourceReaders() throws SQLException {
    try (Connection c = source.open();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    + "WHERE datname = 'metaload_src' AND pid <> pg_backend_pid() AND query LIKE '%crash_orders%' "
                    + "AND application_name <> '"
                    + SourceSnapshot.APPLICATION_NAME
                    + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static RunQueries.RunSummary summary(Path config) {
    try (MetadataStore store =
        MetadataStore.open(ConfigLoader.fromSystemEnvironment().load(config).metadata())) {
      return store.status().runs(null, 1).get(0);
    }
  }

  private static List<String> leftoverTables() {
    List<String> out = new ArrayList<>();
    try (Connection c = target.open();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT tablename FROM pg_tables WHERE tablename LIKE 'crash_orders_ml_%'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}

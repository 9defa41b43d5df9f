package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta runs with lookback 0 while writers keep committing rows, the launcher a separate process in
 * another zone than the source server (UTC): four runs after the first go by under the writers,
 * then the writers stop and one more run follows. Every source row must be in the target: a fence
 * taken in the launcher's zone, or above what a rounding column stores, or past a transaction still
 * open, loses rows here.
 */
class ContinuousWritersIT {
  private static final int RUNS_UNDER_WRITERS = 4;
  private static final String COLUMNS = "id, updated_at, note";

  @TempDir static Path dir;

  @Test
  void postgresTimestampStampedByLocaltimestampWithTheLauncherInBerlin() throws Exception {
    ConnectionSpec pg = TestDatabases.postgres("metaload_src");
    loadUnderWriters(
        pg,
        "cw_pg_ts",
        "timestamp",
        "localtimestamp",
        "{ mode: watermark, column: updated_at }",
        "Europe/Berlin",
        "localtimestamp > max(updated_at) + interval '1.5 seconds'");
  }

  @Test
  void postgresTimestamp0RoundsItsStampsBelowAMicrosecondFenceWithTheLauncherInKolkata()
      throws Exception {
    ConnectionSpec pg = TestDatabases.postgres("metaload_src");
    loadUnderWriters(
        pg,
        "cw_pg_ts0",
        "timestamp(0)",
        "localtimestamp",
        "{ mode: watermark, column: updated_at }",
        "Asia/Kolkata",
        "localtimestamp > max(updated_at) + interval '1.5 seconds'");
  }

  @Test
  void postgresTimestamptz0StampedByNowWithTheLauncherInNewYork() throws Exception {
    ConnectionSpec pg = TestDatabases.postgres("metaload_src");
    loadUnderWriters(
        pg,
        "cw_pg_tz0",
        "timestamptz(0)",
        "now()",
        "{ mode: watermark, column: updated_at }",
        "America/New_York",
        "now() > max(updated_at) + interval '1.5 seconds'");
  }

  @Test
  void aTimestampStampedInTheZoneNamedByDeltaTimeZone() throws Exception {
    ConnectionSpec pg = TestDatabases.postgres("metaload_src");
    loadUnderWriters(
        pg,
        "cw_pg_kolkata",
        "timestamp",
        "clock_timestamp() AT TIME ZONE 'Asia/Kolkata'",
        "{ mode: watermark, column: updated_at, timeZone: Asia/Kolkata }",
        "America/New_York",
        "clock_timestamp() AT TIME ZONE 'Asia/Kolkata' > max(updated_at) + interval '1.5 seconds'");
  }

  @Test
  void mariadbDatetimeWithItsDefaultZeroDigitsWithTheLauncherInBerlin() throws Exception {
    ConnectionSpec maria = TestDatabases.mariadb("metaload_src");
    loadUnderWriters(
        maria,
        "cw_maria_dt0",
        "datetime",
        "NOW()",
        "{ mode: watermark, column: updated_at }",
        "Europe/Berlin",
        "NOW(6) > MAX(updated_at) + INTERVAL 1.5 SECOND");
  }

  @Test
  void mariadbDatetime6WithTheLauncherInNewYork() throws Exception {
    ConnectionSpec maria = TestDatabases.mariadb("metaload_src");
    loadUnderWriters(
        maria,
        "cw_maria_dt6",
        "datetime(6)",
        "NOW(6)",
        "{ mode: watermark, column: updated_at }",
        "America/New_York",
        "NOW(6) > MAX(updated_at) + INTERVAL 1.5 SECOND");
  }

  /**
   * Ids from a sequence commit out of order under concurrent writers; the fence waits for the
   * transactions open when it read the maximum.
   */
  @Test
  void anIntegerColumnFedByASequenceWaitsForOpenWritersAndLosesNothing() throws Exception {
    ConnectionSpec pg = TestDatabases.postgres("metaload_src");
    List<String> logs =
        loadUnderWriters(
            pg,
            "cw_pg_seq",
            "timestamp",
            "localtimestamp",
            "{ mode: append, column: id }",
            "Europe/Berlin",
            null);
    assertThat(
        "some run's fence waited for a writer's open transaction",
        String.join("\n", logs),
        containsString("open transaction(s) ended"));
  }

  /**
   * A date stamped in a zone (a fixed offset chosen so that its midnight falls while the runs go
   * by) that is neither the server's nor the launcher's, whose own midnight is far off: a fence
   * dated in the launcher's zone reads a day before it ends, or never reaches the next one.
   */
  @Test
  void aDateColumnWhoseDayEndsWhileTheRunsGoByInTheZoneItIsStampedIn() throws Exception {
    ConnectionSpec pg = TestDatabases.postgres("metaload_src");
    Instant midnight = Instant.now().plusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
    int offset = 86_400 - (int) (midnight.getEpochSecond() % 86_400);
    if (offset > 18 * 3600) {
      offset -= 86_400;
    }
    ZoneOffset stamped = ZoneOffset.ofTotalSeconds(offset);
    String launcherZone =
        List.of("Asia/Kolkata", "Europe/Berlin", "America/New_York").stream()
            .filter(
                z ->
                    LocalDate.ofInstant(midnight.minusSeconds(60), ZoneId.of(z))
                        .equals(LocalDate.ofInstant(midnight.plusSeconds(120), ZoneId.of(z))))
            .findFirst()
            .orElseThrow();
    String table = "cw_pg_date";
    String stamp = "(clock_timestamp() AT TIME ZONE INTERVAL '" + interval(offset) + "')::date";
    TestDatabases.execute(
        pg,
        "DROP VIEW IF EXISTS " + table + "_before",
        "DROP TABLE IF EXISTS " + table,
        "CREATE TABLE "
            + table
            + " (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, updated_at date NOT NULL, note varchar(40))",
        "CREATE INDEX " + table + "_updated ON " + table + " (updated_at)",
        "INSERT INTO "
            + table
            + " (updated_at, note) SELECT "
            + stamp
            + " - 1, 'old' FROM generate_series(1, 50)");
    DeltaLoad load =
        new DeltaLoad(
            dir,
            table,
            table,
            pg,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: watermark, column: updated_at, timeZone: '" + stamped.getId() + "' }",
            "merge");
    try (SourceWriters writers =
        SourceWriters.start(
            pg, 2, "INSERT INTO " + table + " (updated_at, note) VALUES (" + stamp + ", 'live')")) {
      for (int run = 0;
          run <= RUNS_UNDER_WRITERS || Instant.now().isBefore(midnight.plusSeconds(2));
          run++) {
        runAsProcess(load, launcherZone, table + "-" + run);
      }
    }
    LocalDate today = LocalDate.ofInstant(Instant.now(), stamped);
    runAsProcess(load, launcherZone, table + "-final");
    TestDatabases.execute(
        pg,
        "CREATE VIEW "
            + table
            + "_before AS SELECT * FROM "
            + table
            + " WHERE updated_at < '"
            + today
            + "'");
    assertThat(
        "rows were stamped on the day that ended during the runs",
        Long.parseLong(
            TestDatabases.strings(
                    pg,
                    "SELECT COUNT(*) FROM "
                        + table
                        + " WHERE updated_at = '"
                        + today.minusDays(1)
                        + "'")
                .get(0)),
        greaterThan(20L));
    TableComparison.assertSameRows(pg, table + "_before", load.target, table, COLUMNS, "id");
  }

  private static String interval(int seconds) {
    int a = Math.abs(seconds);
    return String.format(
        "%s%02d:%02d:%02d", seconds < 0 ? "-" : "+", a / 3600, a / 60 % 60, a % 60);
  }

  @Test
  void anIntegerColumnFedByASequenceCachedPerSessionIsRefusedWithoutALookback() throws Exception {
    ConnectionSpec pg = TestDatabases.postgres("metaload_src");
    String table = "cw_pg_cached";
    TestDatabases.execute(
        pg,
        "DROP TABLE IF EXISTS " + table,
        "DROP SEQUENCE IF EXISTS " + table + "_ids",
        "CREATE SEQUENCE " + table + "_ids CACHE 20",
        "CREATE TABLE "
            + table
            + " (id bigint PRIMARY KEY DEFAULT nextval('"
            + table
            + "_ids'), updated_at timestamp NOT NULL, note text)",
        "INSERT INTO "
            + table
            + " (updated_at, note) SELECT localtimestamp, 'n' || x FROM generate_series(1, 50) x");
    DeltaLoad refused =
        new DeltaLoad(
            dir,
            table,
            table,
            pg,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: append, column: id }",
            "merge");
    CliRun run = CliRun.metaload(refused.args());
    assertThat(run.err, run.exitCode, equalTo(2));
    assertThat(run.err, containsString("caches 20 values per session"));
    assertThat(run.err, containsString("Configure delta.lookback"));
    DeltaLoad covered =
        new DeltaLoad(
            dir,
            table + "_lb",
            table,
            pg,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: append, column: id, lookback: 1000 }",
            "merge");
    CliRun ok = CliRun.metaload(covered.args());
    assertThat(ok.err, ok.exitCode, equalTo(0));
    TableComparison.assertSameRows(pg, table, covered.target, table, COLUMNS, "id");
  }

  /**
   * Creates {@code table} with 50 old rows, runs the load once and then {@link #RUNS_UNDER_WRITERS}
   * more times (each a process with {@code TZ=launcherZone}) while two writers insert rows stamped
   * {@code stamp}; stops them, waits until the source's clock satisfies {@code caughtUp} (the fence
   * can then pass every stamp), runs once more and compares the tables. Returns the runs' logs.
   */
  private List<String> loadUnderWriters(
      ConnectionSpec source,
      String table,
      String type,
      String stamp,
      String delta,
      String launcherZone,
      String caughtUp)
      throws Exception {
    boolean maria = source.url().startsWith("jdbc:mariadb:");
    String id =
        maria
            ? "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"
            : "id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS " + table,
        "CREATE TABLE "
            + table
            + " ("
            + id
            + ", updated_at "
            + type
            + " NOT NULL, note varchar(40))",
        "CREATE INDEX " + table + "_updated ON " + table + " (updated_at)");
    for (int i = 0; i < 50; i++) {
      TestDatabases.execute(
          source,
          "INSERT INTO "
              + table
              + " (updated_at, note) VALUES ("
              + stamp
              + " - INTERVAL '1' DAY, 'old')");
    }
    DeltaLoad load =
        new DeltaLoad(
            dir, table, table, source, TestDatabases.postgres("metaload_dst"), delta, "merge");
    List<String> logs = new ArrayList<>();
    try (SourceWriters writers =
        SourceWriters.start(
            source,
            2,
            "INSERT INTO " + table + " (updated_at, note) VALUES (" + stamp + ", 'live')")) {
      for (int run = 0; run <= RUNS_UNDER_WRITERS; run++) {
        logs.add(runAsProcess(load, launcherZone, table + "-" + run));
      }
      assertThat(
          "the writers committed rows while the runs went by",
          writers.committed(),
          greaterThan(20L));
    }
    if (caughtUp != null) {
      TestDatabases.awaitTrue(
          source, "SELECT CASE WHEN " + caughtUp + " THEN 1 ELSE 0 END FROM " + table, 30);
    }
    logs.add(runAsProcess(load, launcherZone, table + "-final"));
    TableComparison.assertSameRows(source, table, load.target, table, COLUMNS, "id");
    return logs;
  }

  private static String runAsProcess(DeltaLoad load, String zone, String name) throws Exception {
    try (MetaloadProcess process =
        MetaloadProcess.start(dir.resolve(name + ".log"), Map.of("TZ", zone), load.args())) {
      int exit = process.await();
      assertThat(name + " under TZ=" + zone + ":\n" + process.output(), exit, equalTo(0));
      return process.output();
    }
  }
}

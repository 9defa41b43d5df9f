package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delta fence and publication under adversity: a source transaction that was open when a run
 * planned and commits later, with a watermark below the run's fence had it used the clock; a
 * process killed with SIGKILL inside the merge's transaction and after its commit; an integer fence
 * that waits for an open writer.
 */
class DeltaFenceIT {
  @TempDir static Path dir;

  @Test
  void aRowCommittedAfterTheRunPlannedByATransactionOpenBeforeItIsInTheNextWindowOnPostgres()
      throws Exception {
    lateCommit(TestDatabases.postgres("metaload_src"), "late_pg", "clock_timestamp()");
  }

  @Test
  void aRowCommittedAfterTheRunPlannedByATransactionOpenBeforeItIsInTheNextWindowOnMariadb()
      throws Exception {
    lateCommit(TestDatabases.mariadb("metaload_src"), "late_maria", "NOW(6)");
  }

  /**
   * Lookback 0, so only the fence keeps the row: its stamp is older than the moment the run
   * planned, and a clock-based watermark would have passed it.
   */
  private void lateCommit(ConnectionSpec sourceDb, String name, String clock) throws Exception {
    DeltaSource source = new DeltaSource(sourceDb, name + "_orders").create(300, List.of());
    DeltaLoad load =
        new DeltaLoad(
            dir,
            name,
            source.table,
            sourceDb,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: watermark, column: updated_at }",
            "merge");
    load.runOk();
    source.insert(List.of(90000L), 0, true);
    Thread.sleep(
        1_500); // MariaDB's fence lies up to 1.25 s below the open transaction's start (whole
    // seconds, a cached list)
    try (Connection writer = sourceDb.open();
        Statement s = writer.createStatement()) {
      writer.setAutoCommit(false);
      s.execute(
          "INSERT INTO "
              + source.table
              + " ("
              + DeltaSource.COLUMNS
              + ") VALUES (90001, 1.00, 'late', "
              + clock
              + ", "
              + clock
              + ")");
      String stamp = stamp(s, source.table);
      Thread.sleep(1_100);
      source.insert(List.of(90002L), 0, true);
      load.runOk();
      assertThat(
          "a row committed before the open transaction began is loaded",
          load.targetRowsWithIds(List.of(90000L)),
          equalTo(1L));
      assertThat(
          "the open transaction's row is not visible yet",
          load.targetRowsWithIds(List.of(90001L)),
          equalTo(0L));
      assertThat(
          "a row stamped after the open transaction began waits for the fence to pass it",
          load.targetRowsWithIds(List.of(90002L)),
          equalTo(0L));
      assertThat(
          "the fence stayed at or below the open transaction's stamp",
          LocalDateTime.parse(load.watermark())
              .compareTo(LocalDateTime.parse(stamp.replace(' ', 'T'))),
          lessThanOrEqualTo(0));
      writer.commit();
    }
    TestDatabases.execute(
        sourceDb,
        "INSERT INTO " + source.expected + " SELECT * FROM " + source.table + " WHERE id = 90001");
    load.runOk();
    assertThat(
        "the late row is in the next run's window",
        load.targetRowsWithIds(List.of(90001L, 90002L)),
        equalTo(2L));
    TableComparison.assertSameRows(
        sourceDb, source.expected, load.target, load.table, DeltaSource.COLUMNS, "id");
  }

  @Test
  void anIntegerFenceWaitsForAnOpenWriterAndFailsClearlyWhenItStaysOpen() throws Exception {
    ConnectionSpec sourceDb = TestDatabases.postgres("metaload_src");
    DeltaSource source = new DeltaSource(sourceDb, "wait_orders").create(300, List.of());
    DeltaLoad load =
        new DeltaLoad(
            dir,
            "wait_pg",
            source.table,
            sourceDb,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: append, column: id, fenceWait: 1s }",
            "merge");
    load.runOk();
    try (Connection writer = sourceDb.open();
        Statement s = writer.createStatement()) {
      writer.setAutoCommit(false);
      s.execute(
          "INSERT INTO "
              + source.table
              + " ("
              + DeltaSource.COLUMNS
              + ") VALUES (350, 1.00, 'late', LOCALTIMESTAMP, LOCALTIMESTAMP)");
      source.insert(List.of(400L), 0, true);
      CliRun blocked = CliRun.metaload(load.args());
      assertThat(blocked.err, blocked.exitCode, equalTo(1));
      assertThat(blocked.err, containsString("did not end within delta.fenceWait"));
      writer.commit();
    }
    TestDatabases.execute(
        sourceDb,
        "INSERT INTO " + source.expected + " SELECT * FROM " + source.table + " WHERE id = 350");
    CliRun retried = CliRun.metaload(load.args("--auto-resume"));
    assertThat(retried.err, retried.exitCode, equalTo(0));
    TableComparison.assertSameRows(
        sourceDb, source.expected, load.target, load.table, DeltaSource.COLUMNS, "id");
  }

  @Test
  void aKillInsideTheMergeOrAfterItsCommitResumesToTheExactTargetAndMovesTheWatermarkOnce()
      throws Exception {
    ConnectionSpec sourceDb = TestDatabases.postgres("metaload_src");
    for (String point : List.of("during-merge", "after-swap", "during-cleanup")) {
      String name = "kill_" + point.replace('-', '_');
      DeltaSource source = new DeltaSource(sourceDb, name + "_orders").create(500, List.of());
      DeltaLoad load =
          new DeltaLoad(
              dir,
              name,
              source.table,
              sourceDb,
              TestDatabases.postgres("metaload_dst"),
              "{ mode: watermark, column: updated_at, lookback: 1h }",
              "merge");
      load.runOk();
      String before = load.watermark();
      source.update(DeltaSource.range(10, 30), "changed", true);
      source.insert(DeltaSource.range(1_000, 30), 0, true);
      Path pauses = Files.createDirectories(dir.resolve(name));
      try (MetaloadProcess process =
          MetaloadProcess.start(
              dir.resolve(name + ".log"), MetaloadProcess.pauseAt(point, pauses, 0), load.args())) {
        process.awaitPause(pauses, point);
        process.kill();
      }
      boolean committed = !point.equals("during-merge");
      assertThat(
          point + ": publications after the kill",
          load.publishedWatermarks().size(),
          equalTo(committed ? 2 : 1));
      CliRun resumed = CliRun.metaload(load.args("--resume"));
      assertThat(point + ": " + resumed.err, resumed.exitCode, equalTo(0));
      TableComparison.assertSameRows(
          sourceDb, source.expected, load.target, load.table, DeltaSource.COLUMNS, "id");
      List<String> published = load.publishedWatermarks();
      assertThat(point + ": the watermark advanced exactly once", published.size(), equalTo(2));
      assertThat(
          point + ": load_watermark follows the target",
          load.watermark(),
          equalTo(published.get(1)));
      assertThat(
          point + ": the watermark moved forward",
          published.get(1).compareTo(before) > 0,
          equalTo(true));
      assertThat(
          point + ": no staging or ledger left",
          TestDatabases.strings(
              load.target,
              "SELECT tablename FROM pg_tables WHERE tablename LIKE '" + load.table + "\\_ml\\_%'"),
          equalTo(List.of()));
    }
  }

  /**
   * Two metadata stores run one load into one target. Run A reads its window and pauses before
   * publishing; the row changes again and run B, from the other store, reads and publishes the
   * newer version. A, planned from the watermark before B's, must not publish its older window over
   * B's rows.
   */
  @Test
  void aWindowPlannedBeforeAnotherStoresPublicationIsRefusedInsteadOfOverwritingNewerRows()
      throws Exception {
    ConnectionSpec sourceDb = TestDatabases.postgres("metaload_src");
    DeltaSource source = new DeltaSource(sourceDb, "race_orders").create(300, List.of());
    DeltaLoad a =
        new DeltaLoad(
            dir,
            "race",
            source.table,
            sourceDb,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: watermark, column: updated_at }",
            "merge");
    DeltaLoad b =
        new DeltaLoad(
            dir,
            "race_other_store",
            "race",
            source.table,
            sourceDb,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: watermark, column: updated_at }",
            "merge");
    a.runOk();
    source.update(List.of(10L), "older", false);
    Path pauses = Files.createDirectories(dir.resolve("race"));
    try (MetaloadProcess slow =
        MetaloadProcess.start(
            dir.resolve("race-a.log"),
            MetaloadProcess.pauseAt("before-swap", pauses, 0),
            a.args())) {
      slow.awaitPause(pauses, "before-swap");
      source.update(List.of(10L), "newer", true);
      b.runOk();
      MetaloadProcess.proceed(pauses, "before-swap");
      assertThat(slow.output(), slow.await(), equalTo(5));
      assertThat(
          slow.output(),
          containsString(
              "another run (another launcher or metadata store) published into it meanwhile"));
    }
    assertThat(
        TestDatabases.strings(a.target, "SELECT status FROM " + a.table + " WHERE id = 10"),
        equalTo(List.of("newer")));
    List<String> published = a.publishedWatermarks();
    assertThat("B's watermark is the latest", published.size(), equalTo(2));
    TableComparison.assertSameRows(
        sourceDb, source.expected, a.target, a.table, DeltaSource.COLUMNS, "id");
  }

  private static String stamp(Statement s, String table) throws Exception {
    try (ResultSet rs = s.executeQuery("SELECT updated_at FROM " + table + " WHERE id = 90001")) {
      rs.next();
      return rs.getObject(1, LocalDateTime.class).toString();
    }
  }
}

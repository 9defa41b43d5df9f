package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three "days" of a changing source, each followed by a delta run, for every windowed mode and from
 * PostgreSQL and MariaDB into PostgreSQL (and into MariaDB for merge and window-replace). The
 * load's first run copies the whole table; each later run reads only its window and merges it.
 * After every run the target equals the rows the mode carries: inserts, updates (late ones too,
 * stamped inside the lookback) and, for window-replace, deletes inside the window; deletes the mode
 * does not carry are asserted to stay.
 */
class DeltaLoadIT {
  private static final int ROWS = 2_000;
  private static final int DAYS = 3;

  @TempDir static Path dir;

  @Test
  void watermarkModeFromPostgresCarriesInsertsUpdatesAndLateUpdatesButNotDeletes()
      throws Exception {
    watermarkDays(TestDatabases.postgres("metaload_src"), "dw_pg");
  }

  @Test
  void watermarkModeFromMariadbCarriesInsertsUpdatesAndLateUpdatesButNotDeletes() throws Exception {
    watermarkDays(TestDatabases.mariadb("metaload_src"), "dw_maria");
  }

  @Test
  void appendModeFromPostgresCarriesInsertsAndLateInsertsOnly() throws Exception {
    appendDays(TestDatabases.postgres("metaload_src"), "da_pg");
  }

  @Test
  void appendModeFromMariadbCarriesInsertsAndLateInsertsOnly() throws Exception {
    appendDays(TestDatabases.mariadb("metaload_src"), "da_maria");
  }

  @Test
  void windowReplaceFromPostgresCarriesEverythingInsideTheWindow() throws Exception {
    windowReplaceDays(TestDatabases.postgres("metaload_src"), "dr_pg");
  }

  @Test
  void windowReplaceFromMariadbCarriesEverythingInsideTheWindow() throws Exception {
    windowReplaceDays(TestDatabases.mariadb("metaload_src"), "dr_maria");
  }

  @Test
  void watermarkModeIntoMariadbMergesWithOnDuplicateKeyUpdate() throws Exception {
    watermarkDays(
        TestDatabases.postgres("metaload_src"),
        "dw_to_maria",
        TestDatabases.mariadb("metaload_dst"));
  }

  @Test
  void windowReplaceIntoMariadbDeletesTheWindowAndMerges() throws Exception {
    windowReplaceDays(
        TestDatabases.mariadb("metaload_src"),
        "dr_to_maria",
        TestDatabases.mariadb("metaload_dst"));
  }

  private void watermarkDays(ConnectionSpec sourceDb, String name) throws Exception {
    watermarkDays(sourceDb, name, TestDatabases.postgres("metaload_dst"));
  }

  private void watermarkDays(ConnectionSpec sourceDb, String name, ConnectionSpec targetDb)
      throws Exception {
    DeltaSource source = new DeltaSource(sourceDb, name + "_orders").create(ROWS, List.of());
    DeltaLoad load =
        new DeltaLoad(
            dir,
            name,
            source.table,
            sourceDb,
            targetDb,
            "{ mode: watermark, column: updated_at, lookback: 1h }",
            "merge");
    initialRun(load, source);
    for (int day = 1; day <= DAYS; day++) {
      String before = load.watermark();
      source.insert(DeltaSource.range(10_000 + day * 100, 20), 0, true);
      source.update(DeltaSource.range(day * 100, 20), "day" + day, true);
      source.updateLate(
          DeltaSource.range(50 + day * 5, 5), LocalDateTime.parse(before).minusMinutes(20), true);
      List<Long> deleted = DeltaSource.range(1_500 + day * 10, 5);
      source.delete(deleted, false);
      load.runOk();
      assertDay(load, source, day, before, 45 * day + 40);
      assertThat(
          "deletes are not carried by mode watermark",
          load.targetRowsWithIds(deleted),
          equalTo(5L));
    }
  }

  private void appendDays(ConnectionSpec sourceDb, String name) throws Exception {
    List<Long> gap = DeltaSource.range(1_950, 10);
    DeltaSource source = new DeltaSource(sourceDb, name + "_orders").create(ROWS, gap);
    DeltaLoad load = load(source, name, "{ mode: append, column: id, lookback: 200 }", "merge");
    initialRun(load, source);
    for (int day = 1; day <= DAYS; day++) {
      String before = load.watermark();
      source.insert(DeltaSource.range(ROWS + day * 20, 20), 0, true);
      source.insert(gap.subList((day - 1) * 3, day * 3), 0, true);
      List<Long> updated = DeltaSource.range(day * 100, 10);
      source.update(updated, "day" + day, false);
      source.delete(DeltaSource.range(1_500 + day * 10, 5), false);
      load.runOk();
      assertDay(load, source, day, before, 260);
      assertThat(
          "updates below the window are not carried by mode append",
          Long.parseLong(
              TestDatabases.strings(
                      load.target,
                      "SELECT COUNT(*) FROM " + load.table + " WHERE status = 'day" + day + "'")
                  .get(0)),
          equalTo(0L));
    }
  }

  private void windowReplaceDays(ConnectionSpec sourceDb, String name) throws Exception {
    windowReplaceDays(sourceDb, name, TestDatabases.postgres("metaload_dst"));
  }

  private void windowReplaceDays(ConnectionSpec sourceDb, String name, ConnectionSpec targetDb)
      throws Exception {
    DeltaSource source = new DeltaSource(sourceDb, name + "_orders").create(ROWS, List.of());
    DeltaLoad load =
        new DeltaLoad(
            dir,
            name,
            source.table,
            sourceDb,
            targetDb,
            "{ mode: window-replace, column: event_at, lookback: 3d }",
            "replace-window");
    initialRun(load, source);
    for (int day = 1; day <= DAYS; day++) {
      String before = load.watermark();
      source.insert(DeltaSource.range(10_000 + day * 100, 20), 0, true);
      source.insert(DeltaSource.range(20_000 + day * 100, 5), 48, true);
      List<Long> recent = source.idsWithEventBetween(40, 2, 15);
      source.update(recent.subList(0, 10), "day" + day, true);
      source.delete(recent.subList(10, 15), true);
      List<Long> old = source.idsWithEventBetween(230, 150, 10);
      source.update(old.subList(0, 5), "old" + day, false);
      List<Long> oldDeleted = old.subList(5, 10);
      source.delete(oldDeleted, false);
      load.runOk();
      assertDay(load, source, day, before, 1_000);
      assertThat("deletes before the window stay", load.targetRowsWithIds(oldDeleted), equalTo(5L));
      assertThat(
          "deletes inside the window are carried",
          load.targetRowsWithIds(recent.subList(10, 15)),
          equalTo(0L));
    }
  }

  @Test
  void aBackfillByDayRepairsItsRangeAndRunningItTwiceChangesNothingNorTheWatermark()
      throws Exception {
    DeltaSource source =
        new DeltaSource(TestDatabases.postgres("metaload_src"), "bf_orders")
            .create(ROWS, List.of());
    DeltaLoad load =
        new DeltaLoad(
            dir,
            "bf",
            source.table,
            source.spec,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: window-replace, column: event_at, lookback: 1d }, partitioning: { strategy: day }",
            "replace-window");
    initialRun(load, source);
    String watermark = load.watermark();
    LocalDate today = LocalDate.now();
    String from = today.minusDays(6).toString();
    String to = today.minusDays(2).toString();
    String inRange = "event_at >= '" + from + "' AND event_at < '" + to + "'";
    TestDatabases.execute(
        load.target,
        "DELETE FROM "
            + load.table
            + " WHERE id IN (SELECT id FROM "
            + load.table
            + " WHERE "
            + inRange
            + " ORDER BY id LIMIT 7)",
        "UPDATE "
            + load.table
            + " SET amount = 0 WHERE id IN (SELECT id FROM "
            + load.table
            + " WHERE "
            + inRange
            + " ORDER BY id DESC LIMIT 5)",
        "INSERT INTO "
            + load.table
            + " ("
            + DeltaSource.COLUMNS
            + ") VALUES (77777, 1, 'stray', "
            + "'"
            + today.minusDays(3)
            + "', '"
            + today.minusDays(3)
            + "')");
    TestDatabases.execute(
        source.spec,
        "DELETE FROM "
            + source.table
            + " WHERE id IN (SELECT id FROM "
            + source.table
            + " WHERE "
            + inRange
            + " ORDER BY id LIMIT 3 OFFSET 20)");
    for (int i = 1; i <= 2; i++) {
      CliRun r = load.runOk("--param", "from=" + from, "--param", "to=" + to);
      TableComparison.assertSameRows(
          source.spec, source.table, load.target, load.table, DeltaSource.COLUMNS, "id");
      assertThat("backfill " + i + " leaves the watermark", load.watermark(), equalTo(watermark));
      assertThat(
          "backfill " + i + " loads one partition per day",
          TestDatabases.strings(
                  load.metadata,
                  "SELECT COUNT(*) FROM load_partition WHERE run_id = (SELECT MAX(run_id) FROM load_run)")
              .get(0),
          equalTo("4"));
    }
    assertThat(load.publishedWatermarks(), equalTo(List.of(watermark, watermark, watermark)));
  }

  private static DeltaLoad load(DeltaSource source, String name, String delta, String writeMode)
      throws Exception {
    return new DeltaLoad(
        dir,
        name,
        source.table,
        source.spec,
        TestDatabases.postgres("metaload_dst"),
        delta,
        writeMode);
  }

  private static void initialRun(DeltaLoad load, DeltaSource source) {
    load.runOk();
    TableComparison.assertSameRows(
        source.spec, source.expected, load.target, load.table, DeltaSource.COLUMNS, "id");
    assertThat("the first run publishes a watermark", load.watermark(), notNullValue());
    assertThat(load.publishedWatermarks(), equalTo(List.of(load.watermark())));
  }

  private static void assertDay(
      DeltaLoad load, DeltaSource source, int day, String before, int maxRowsRead) {
    TableComparison.assertSameRows(
        source.spec, source.expected, load.target, load.table, DeltaSource.COLUMNS, "id");
    String after = load.watermark();
    List<String> published = load.publishedWatermarks();
    assertThat("day " + day + ": one publication per run", published.size(), equalTo(day + 1));
    assertThat(
        "day " + day + ": load_watermark is the target's",
        after,
        equalTo(published.get(published.size() - 1)));
    assertThat(
        "day " + day + ": the watermark moved forward", after.compareTo(before), greaterThan(0));
    assertThat(
        "day " + day + ": the run read its window, not the table",
        load.lastRunRows(),
        lessThan((long) maxRowsRead));
  }
}

package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A window replacement deletes only the target rows whose source rows are gone: a row whose delta
 * value moved ahead of the window keeps its previous version until a later window reads it, one
 * that moved behind it (or, without a shared snapshot, into a part of it already read) is read
 * again, a key read twice takes its current row, and a window read by list partitions replaces only
 * its values' rows.
 */
class ReplaceWindowMovedRowsIT {
  private static final int ROWS = 2_000;

  @TempDir static Path dir;

  @Test
  void rowsMovedOutOfAPostgresWindowAreNeitherLostNorLeftOld() throws Exception {
    movedRows(TestDatabases.postgres("metaload_src"), "mv_pg");
  }

  @Test
  void rowsMovedOutOfAMariadbWindowAreNeitherLostNorLeftOld() throws Exception {
    movedRows(TestDatabases.mariadb("metaload_src"), "mv_maria");
  }

  private void movedRows(ConnectionSpec sourceDb, String name) throws Exception {
    DeltaSource source = new DeltaSource(sourceDb, name + "_orders").create(ROWS, List.of());
    DeltaLoad load =
        new DeltaLoad(
            dir,
            name,
            source.table,
            sourceDb,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: window-replace, column: event_at, lookback: 3d }",
            "replace-window");
    load.runOk();
    TableComparison.assertSameRows(
        source.spec, source.expected, load.target, load.table, DeltaSource.COLUMNS, "id");

    List<Long> inWindow = source.idsWithEventBetween(40, 2, 30);
    List<Long> ahead = inWindow.subList(0, 8);
    List<Long> behind = inWindow.subList(8, 15);
    List<Long> deleted = inWindow.subList(15, 20);
    List<Long> updated = inWindow.subList(20, 30);
    source.moveEvent(ahead, 48, false);
    source.moveEvent(behind, -20 * 24, true);
    source.delete(deleted, true);
    source.update(updated, "upd", true);
    load.runOk();

    assertThat(
        "rows whose business date moved ahead keep their previous version",
        load.targetRowsWithIds(ahead),
        equalTo((long) ahead.size()));
    TableComparison.assertSameRows(
        source.spec, source.expected, load.target, load.table, DeltaSource.COLUMNS, "id");
    assertThat(
        validation(load, "rows_moved_ahead_of_window"), equalTo(String.valueOf(ahead.size())));
    assertThat(
        validation(load, "rows_moved_behind_window"), equalTo(String.valueOf(behind.size())));
    assertThat(validation(load, "rows_deleted"), equalTo(String.valueOf(deleted.size())));
  }

  /**
   * Without a shared snapshot, a row whose value moves back into a part of the window that was
   * already read is read by no unit: it is read again at publication instead of being deleted.
   */
  @Test
  void aMariadbRowMovedBackIntoThePartOfTheWindowAlreadyReadIsReadAgain() throws Exception {
    DeltaSource source =
        new DeltaSource(TestDatabases.mariadb("metaload_src"), "mv_back_orders")
            .create(4 * ROWS, List.of());
    DeltaLoad load =
        new DeltaLoad(
            dir,
            "mv_back",
            source.table,
            source.spec,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: window-replace, column: event_at, lookback: 3d }",
            "replace-window");
    load.runOk();
    Path pauses = Files.createDirectories(dir.resolve("mv_back"));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve("mv_back.log"),
            MetaloadProcess.pauseAt("batch-read", pauses, 0),
            oneReader(load))) {
      process.awaitPause(pauses, "batch-read");
      String[] read = Files.readAllLines(pauses.resolve("batch-read.reached")).get(1).split(" ");
      String from = timestamp(Long.parseLong(read[0]));
      String to = timestamp(Long.parseLong(read[1]));
      String firstRead =
          TestDatabases.strings(
                  source.spec,
                  "SELECT MIN(event_at) FROM "
                      + source.table
                      + " WHERE event_at >= '"
                      + from
                      + "' AND event_at < '"
                      + to
                      + "'")
              .get(0);
      long moved =
          Long.parseLong(
              TestDatabases.strings(
                      source.spec,
                      "SELECT id FROM "
                          + source.table
                          + " WHERE event_at >= '"
                          + to
                          + "' OR event_at < '"
                          + from
                          + "' ORDER BY event_at DESC, id DESC LIMIT 1")
                  .get(0));
      TestDatabases.execute(
          source.spec,
          "UPDATE "
              + source.table
              + " SET status = 'back', amount = amount + 1, event_at = '"
              + firstRead
              + "' WHERE id = "
              + moved);
      TestDatabases.execute(
          source.spec,
          "DELETE FROM " + source.expected + " WHERE id = " + moved,
          "INSERT INTO "
              + source.expected
              + " SELECT * FROM "
              + source.table
              + " WHERE id = "
              + moved);
      MetaloadProcess.proceed(pauses, "batch-read");
      assertThat(process.output(), process.await(), equalTo(0));
    }
    TableComparison.assertSameRows(
        source.spec, source.expected, load.target, load.table, DeltaSource.COLUMNS, "id");
    assertThat(validation(load, "rows_moved_behind_window"), equalTo("1"));
  }

  private static String timestamp(long position) {
    return SplitKeyType.TIMESTAMP.fromPosition(position).toString().replace('T', ' ');
  }

  /**
   * A key staged twice, the version with the greater delta value being the older one (its value
   * went backwards between two reads), takes the source's current row, not the greater value.
   */
  @Test
  void aKeyStagedTwiceTakesItsCurrentSourceRowNotItsGreatestDeltaValue() throws Exception {
    DeltaSource source =
        new DeltaSource(TestDatabases.mariadb("metaload_src"), "mv_twice_orders")
            .create(ROWS, List.of());
    DeltaLoad load =
        new DeltaLoad(
            dir,
            "mv_twice",
            source.table,
            source.spec,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: window-replace, column: event_at, lookback: 3d }",
            "replace-window");
    load.runOk();
    List<Long> changed = source.idsWithEventBetween(30, 2, 1);
    source.update(changed, "current", true);
    Path pauses = Files.createDirectories(dir.resolve("mv_twice"));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve("mv_twice.log"),
            MetaloadProcess.pauseAt("before-swap", pauses, 0),
            load.args())) {
      process.awaitPause(pauses, "before-swap");
      TestDatabases.execute(
          load.target,
          "INSERT INTO "
              + staging(load)
              + " ("
              + DeltaSource.COLUMNS
              + ") SELECT id, amount - 50, 'stale', "
              + "updated_at, event_at + INTERVAL '1 hour' FROM "
              + staging(load)
              + " WHERE id = "
              + changed.get(0));
      MetaloadProcess.proceed(pauses, "before-swap");
      assertThat(process.output(), process.await(), equalTo(0));
    }
    TableComparison.assertSameRows(
        source.spec, source.expected, load.target, load.table, DeltaSource.COLUMNS, "id");
    assertThat(validation(load, "keys_read_twice_restaged"), equalTo("1"));
  }

  private static String[] oneReader(DeltaLoad load) {
    String[] args = load.args();
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--parallelism=")) {
        args[i] = "--parallelism=1";
      }
    }
    return args;
  }

  /** The running run's staging table in the target. */
  private static String staging(DeltaLoad load) {
    List<String> tables =
        TestDatabases.strings(
            load.target,
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '"
                + load.table
                + "\\_ml\\_stg\\_%'");
    assertThat(tables.toString(), tables.size(), equalTo(1));
    return tables.get(0);
  }

  @Test
  void aWindowReadByListPartitionsReplacesOnlyItsValuesRows() throws Exception {
    DeltaSource source =
        new DeltaSource(TestDatabases.postgres("metaload_src"), "mv_list_orders")
            .create(ROWS, List.of());
    DeltaLoad load =
        new DeltaLoad(
            dir,
            "mv_list",
            source.table,
            source.spec,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: window-replace, column: event_at, lookback: 3d }, partitioning: { strategy: list, column: status, values: [new, upd] }",
            "replace-window");
    load.runOk();
    TestDatabases.execute(
        load.target,
        "INSERT INTO "
            + load.table
            + " ("
            + DeltaSource.COLUMNS
            + ") SELECT id + 100000, amount, 'other', "
            + "updated_at, event_at FROM "
            + load.table
            + " WHERE event_at > LOCALTIMESTAMP - INTERVAL '40 hours' ORDER BY id LIMIT 12");
    List<Long> deleted = source.idsWithEventBetween(40, 2, 5);
    source.delete(deleted, true);
    source.update(source.idsWithEventBetween(30, 2, 5), "upd", true);
    load.runOk();

    assertThat(
        "another value's rows in the window stay",
        TestDatabases.strings(
                load.target, "SELECT COUNT(*) FROM " + load.table + " WHERE status = 'other'")
            .get(0),
        equalTo("12"));
    TestDatabases.execute(load.target, "DELETE FROM " + load.table + " WHERE status = 'other'");
    TableComparison.assertSameRows(
        source.spec, source.expected, load.target, load.table, DeltaSource.COLUMNS, "id");
  }

  private static String validation(DeltaLoad load, String check) {
    return TestDatabases.strings(
            load.metadata,
            "SELECT actual FROM load_validation WHERE check_name = '"
                + check
                + "' AND run_id = (SELECT MAX(run_id) FROM load_run)")
        .get(0);
  }

  private static String ids(List<Long> ids) {
    return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}

package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A window replacement deletes only the target rows whose source rows are gone: rows whose
 * delta value moved out of the window, ahead of it or behind it, stay in the target (counted and,
 * behind it, named with the backfill that refreshes them), and a window read by list partitions
 * replaces only its values' rows.
 */
class ReplaceWindowMovedRowsIT {
  private static final int ROWS = 2_000;

  @TempDir static Path dir;

  @Test
  void rowsMovedOutOfAPostgresWindowStayAndABackfillOverTheirNewDatesRefreshesThem() throws Exception {
    movedRows(TestDatabases.postgres("metaload_src"), "mv_pg");
  }

  @Test
  void rowsMovedOutOfAMariadbWindowStayAndABackfillOverTheirNewDatesRefreshesThem() throws Exception {
    movedRows(TestDatabases.mariadb("metaload_src"), "mv_maria");
  }

  private void movedRows(ConnectionSpec sourceDb, String name) throws Exception {
    DeltaSource source = new DeltaSource(sourceDb, name + "_orders").create(ROWS, List.of());
    DeltaLoad load = new DeltaLoad(dir, name, source.table, sourceDb, TestDatabases.postgres("metaload_dst"),
        "{ mode: window-replace, column: event_at, lookback: 3d }", "replace-window");
    load.runOk();
    TableComparison.assertSameRows(source.spec, source.expected, load.target, load.table, DeltaSource.COLUMNS, "id");

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

    assertThat("rows whose business date moved ahead stay", load.targetRowsWithIds(ahead), equalTo((long) ahead.size()));
    assertThat("rows whose business date moved back stay", load.targetRowsWithIds(behind), equalTo((long) behind.size()));
    assertThat("rows deleted in the source are deleted", load.targetRowsWithIds(deleted), equalTo(0L));
    assertThat(validation(load, "rows_moved_ahead_of_window"), equalTo(String.valueOf(ahead.size())));
    assertThat(validation(load, "rows_moved_behind_window"), equalTo(String.valueOf(behind.size())));
    assertThat(validation(load, "rows_deleted"), equalTo(String.valueOf(deleted.size())));

    LocalDate today = LocalDate.now();
    load.runOk("--param", "from=" + today.minusDays(22), "--param", "to=" + today.minusDays(18));
    TestDatabases.execute(source.spec, "DELETE FROM " + source.expected + " WHERE id IN (" + ids(ahead) + ")");
    TestDatabases.execute(load.target, "DELETE FROM " + load.table + " WHERE id IN (" + ids(ahead) + ")");
    TableComparison.assertSameRows(source.spec, source.expected, load.target, load.table, DeltaSource.COLUMNS, "id");
  }

  @Test
  void aWindowReadByListPartitionsReplacesOnlyItsValuesRows() throws Exception {
    DeltaSource source = new DeltaSource(TestDatabases.postgres("metaload_src"), "mv_list_orders").create(ROWS, List.of());
    DeltaLoad load = new DeltaLoad(dir, "mv_list", source.table, source.spec, TestDatabases.postgres("metaload_dst"),
        "{ mode: window-replace, column: event_at, lookback: 3d }, partitioning: { strategy: list, column: status, values: [new, upd] }",
        "replace-window");
    load.runOk();
    TestDatabases.execute(load.target, "INSERT INTO " + load.table + " (" + DeltaSource.COLUMNS + ") SELECT id + 100000, amount, 'other', "
        + "updated_at, event_at FROM " + load.table + " WHERE event_at > LOCALTIMESTAMP - INTERVAL '40 hours' ORDER BY id LIMIT 12");
    List<Long> deleted = source.idsWithEventBetween(40, 2, 5);
    source.delete(deleted, true);
    source.update(source.idsWithEventBetween(30, 2, 5), "upd", true);
    load.runOk();

    assertThat("another value's rows in the window stay", TestDatabases.strings(load.target, "SELECT COUNT(*) FROM " + load.table
        + " WHERE status = 'other'").get(0), equalTo("12"));
    TestDatabases.execute(load.target, "DELETE FROM " + load.table + " WHERE status = 'other'");
    TableComparison.assertSameRows(source.spec, source.expected, load.target, load.table, DeltaSource.COLUMNS, "id");
  }

  private static String validation(DeltaLoad load, String check) {
    return TestDatabases.strings(load.metadata, "SELECT actual FROM load_validation WHERE check_name = '" + check
        + "' AND run_id = (SELECT MAX(run_id) FROM load_run)").get(0);
  }

  private static String ids(List<Long> ids) {
    return ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
  }
}

package io.metaload.metadata.plan.split;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.schema.TableRef;
import io.metaload.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tuple-id cuts of a PostgreSQL table: runs of at most {@code batchSize} rows, and most of it,
 * however the table's pages are filled and however stale its statistics; the even page cuts a
 * timed-out pass falls back to cover every row; and the change check finds inserts, updates and
 * rewrites but not an unchanged table.
 */
class HeapOrderCutsIT {
  private static final ConnectionSpec PG = TestDatabases.postgres("metaload_src");
  private static final Dialect DIALECT = Dialect.forUrl(PG.url());
  private static final TableRef TABLE = TableRef.of("public", "hoc_rows");

  private static void createTable() {
    TestDatabases.execute(
        PG,
        "DROP TABLE IF EXISTS hoc_rows",
        "CREATE TABLE hoc_rows (id uuid PRIMARY KEY, n integer NOT NULL, pad text)",
        "INSERT INTO hoc_rows SELECT gen_random_uuid(), g, repeat('x', g % 300) FROM generate_series(1, 5000) g",
        "DELETE FROM hoc_rows WHERE n BETWEEN 1000 AND 2500 OR n % 7 = 0");
  }

  @Test
  void cutsHoldAtMostTheBatchSizeAndMostOfItWhereDeletedRowsLeftHoles() throws Exception {
    createTable();
    assertCutsFit(250);
  }

  /**
   * Batch 40 lists the tuples of the dense pages; batch 7, near a page's rows by the statistics,
   * numbers the rows.
   */
  @Test
  void cutsFitWhenOnePageHoldsMoreRowsThanABatchAndTheStatisticsAreStale() throws Exception {
    TestDatabases.execute(
        PG,
        "DROP TABLE IF EXISTS hoc_rows",
        "CREATE TABLE hoc_rows (id uuid PRIMARY KEY, n integer NOT NULL, pad text)",
        "INSERT INTO hoc_rows SELECT gen_random_uuid(), g, (SELECT string_agg(md5(random()::text || g || s), '') "
            + "FROM generate_series(1, 60) s) FROM generate_series(1, 200) g",
        "ANALYZE hoc_rows",
        "INSERT INTO hoc_rows SELECT gen_random_uuid(), g, NULL FROM generate_series(201, 6000) g");
    assertCutsFit(40);
    assertCutsFit(7);
  }

  @Test
  void anEmptyTableHasNoCuts() throws Exception {
    TestDatabases.execute(
        PG,
        "DROP TABLE IF EXISTS hoc_rows",
        "CREATE TABLE hoc_rows (id uuid PRIMARY KEY, n integer NOT NULL, pad text)");
    try (Connection c = PG.open()) {
      HeapOrder.Cuts cuts = HeapOrder.cut(c, DIALECT, TABLE, 250);
      assertThat(cuts.rows, equalTo(0L));
      assertThat(cuts.boundaries.size(), equalTo(0));
    }
  }

  /**
   * Every sub-range holds at most {@code batch} rows and, but the last, more than 3/4 of it;
   * together they hold every row.
   */
  private static void assertCutsFit(int batch) throws Exception {
    long rows = TestDatabases.count(PG, "hoc_rows");
    try (Connection c = PG.open()) {
      HeapOrder.Cuts cuts = HeapOrder.cut(c, DIALECT, TABLE, batch);
      assertThat(cuts.rows, equalTo(rows));
      List<Long> perRange = rowsPerRange(c, cuts.boundaries);
      assertThat(perRange.stream().mapToLong(Long::longValue).sum(), equalTo(rows));
      for (int i = 0; i < perRange.size(); i++) {
        assertThat("sub-range " + i, perRange.get(i), lessThanOrEqualTo((long) batch));
        if (i < perRange.size() - 1) {
          assertThat("sub-range " + i, perRange.get(i) * 4, greaterThan(3L * batch));
        }
      }
    }
  }

  @Test
  void evenCutsCoverEveryRowInRunsOfEqualPages() throws Exception {
    createTable();
    try (Connection c = PG.open()) {
      HeapOrder.Cuts cuts = HeapOrder.evenCuts(c, DIALECT, TABLE, 250, true);
      assertThat(cuts.rows, equalTo(TestDatabases.count(PG, "hoc_rows")));
      assertThat(cuts.estimated, equalTo(false));
      assertThat(
          rowsPerRange(c, cuts.boundaries).stream().mapToLong(Long::longValue).sum(),
          equalTo(cuts.rows));
    }
  }

  @Test
  void evenCutsWithoutACountEstimateTheRowsFromTheCatalogAndStillCoverEveryRow() throws Exception {
    createTable();
    TestDatabases.execute(PG, "VACUUM ANALYZE hoc_rows");
    long rows = TestDatabases.count(PG, "hoc_rows");
    try (Connection c = PG.open()) {
      HeapOrder.Cuts cuts = HeapOrder.evenCuts(c, DIALECT, TABLE, 250, false);
      assertThat(cuts.estimated, equalTo(true));
      assertThat("an estimate near the count", (double) cuts.rows, closeTo(rows, rows * 0.1));
      List<Long> perRange = rowsPerRange(c, cuts.boundaries);
      assertThat(perRange.stream().mapToLong(Long::longValue).sum(), equalTo(rows));
    }
  }

  @Test
  void theChangeCheckFindsWritesAndRewritesOnly() throws Exception {
    createTable();
    HeapOrder planned;
    try (Connection c = PG.open()) {
      planned = HeapOrder.take(c, DIALECT, List.of(TABLE));
      assertThat(planned.changeSince(c, DIALECT).isPresent(), equalTo(false));
    }
    TestDatabases.execute(PG, "DELETE FROM hoc_rows WHERE n = 1");
    try (Connection c = PG.open()) {
      assertThat(
          "a delete moves no row", planned.changeSince(c, DIALECT).isPresent(), equalTo(false));
    }
    TestDatabases.execute(PG, "UPDATE hoc_rows SET pad = pad || 'y' WHERE n = 2");
    try (Connection c = PG.open()) {
      assertThat(
          planned.changeSince(c, DIALECT).orElseThrow(),
          containsString("1 row(s) of public.hoc_rows were inserted or updated"));
    }
    try (Connection c = PG.open()) {
      planned = HeapOrder.take(c, DIALECT, List.of(TABLE));
    }
    TestDatabases.execute(PG, "VACUUM FULL hoc_rows");
    try (Connection c = PG.open()) {
      assertThat(
          planned.changeSince(c, DIALECT).orElseThrow(),
          containsString("public.hoc_rows was rewritten"));
    }
  }

  /** The rows of each sub-range the boundaries make, counted by TID range scans. */
  private static List<Long> rowsPerRange(Connection c, List<List<String>> boundaries)
      throws Exception {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i <= boundaries.size(); i++) {
      String low = i == 0 ? "(0,0)" : boundaries.get(i - 1).get(0);
      String high = i == boundaries.size() ? null : boundaries.get(i).get(0);
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT count(*) FROM hoc_rows WHERE ctid >= ?::tid"
                  + (high == null ? "" : " AND ctid < ?::tid"))) {
        ps.setString(1, low);
        if (high != null) {
          ps.setString(2, high);
        }
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }
}

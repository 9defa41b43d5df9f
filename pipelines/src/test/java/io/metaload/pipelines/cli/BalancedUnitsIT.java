package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.plan.split.HeapOrder;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read units are cut so that they hold even rows however the key is skewed: an integer key with 90%
 * of its rows packed into 5% of its range is read in units of even rows, like a uniform key; so are
 * a varchar key and a UUID key (PostgreSQL {@code uuid}, read along the key and, with rows of very
 * different widths, in heap order; MariaDB {@code char(36)}) whose keys crowd into one narrow
 * prefix. The protocol records every unit and {@code status --run} prints the imbalance.
 *
 * <p>Nothing expected here comes from the planner: the units are read from the metadata store
 * ({@code load_read_unit}, and the plan's key boundaries in {@code load_run.plan} for string and
 * UUID keys, whose unit positions number the sub-ranges between them), each unit's rows are counted
 * in the source with plain SQL over its recorded range, the units must tile the source (together
 * exactly its rows) and hold exactly the rows the run's batches read in them, and the largest must
 * stay within 1.25 times the mean (the source's rows over the units); a string or UUID key read
 * along the key, whose units are whole runs of one batch, within one batch of it.
 */
class BalancedUnitsIT {
  private static final int ROWS = 200_000;

  /**
   * Rows and batch size of the string and UUID keys' tables: a multiple, so each of their
   * sub-ranges holds one batch.
   */
  private static final int KEYED_ROWS = 60_000;

  private static final int KEYED_BATCH = 1_000;
  private static final double MAX_IMBALANCE = 1.25;

  @TempDir static Path dir;

  @Test
  void aSkewedIntegerKeyFromPostgresIsReadInUnitsOfEvenRows() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS skew_orders",
        "CREATE TABLE skew_orders (id BIGINT PRIMARY KEY, note VARCHAR(20) NOT NULL)",
        "INSERT INTO skew_orders SELECT x, 'dense' FROM generate_series(1, 180000) x",
        "INSERT INTO skew_orders SELECT 180001 + x * 170, 'sparse' FROM generate_series(0, 19999) x");
    assertBalanced(source, "skew_pg", "skew_orders");
  }

  /**
   * Large PostgreSQL tables take their quantiles from a sample of pages; here the threshold is
   * lowered to this table's size.
   */
  @Test
  void aSkewedIntegerKeyFromPostgresIsBalancedBySampledQuantiles() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS skew_sampled",
        "CREATE TABLE skew_sampled (id BIGINT PRIMARY KEY, note VARCHAR(20) NOT NULL)",
        "INSERT INTO skew_sampled SELECT x, 'dense' FROM generate_series(1, 180000) x",
        "INSERT INTO skew_sampled SELECT 180001 + x * 170, 'sparse' FROM generate_series(0, 19999) x");
    System.setProperty("metaload.sampleQuantilesAbove", "100000");
    try {
      assertBalanced(source, "skew_sampled", "skew_sampled");
    } finally {
      System.clearProperty("metaload.sampleQuantilesAbove");
    }
  }

  @Test
  void aSkewedIntegerKeyFromMariadbIsReadInUnitsOfEvenRows() throws Exception {
    ConnectionSpec source = TestDatabases.mariadb("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS skew_orders",
        "CREATE TABLE skew_orders (id BIGINT PRIMARY KEY, note VARCHAR(20) NOT NULL)",
        "INSERT INTO skew_orders SELECT seq, 'dense' FROM seq_1_to_180000",
        "INSERT INTO skew_orders SELECT 180001 + seq * 170, 'sparse' FROM seq_0_to_19999");
    assertBalanced(source, "skew_maria", "skew_orders");
  }

  @Test
  void aUniformKeyIsReadInUnitsOfEvenRowsToo() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS uniform_orders",
        "CREATE TABLE uniform_orders (id BIGINT PRIMARY KEY, note VARCHAR(20) NOT NULL)",
        "INSERT INTO uniform_orders SELECT x * 3, 'even' FROM generate_series(1, 200000) x");
    assertBalanced(source, "uniform_pg", "uniform_orders");
  }

  @Test
  void aSkewedKeyWithoutAnIndexIsBalancedByOneSortedPass() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS skew_noindex",
        "CREATE TABLE skew_noindex (id BIGINT NOT NULL, note VARCHAR(20) NOT NULL)",
        "INSERT INTO skew_noindex SELECT x, 'dense' FROM generate_series(1, 180000) x",
        "INSERT INTO skew_noindex SELECT 180001 + x * 170, 'sparse' FROM generate_series(0, 19999) x");
    assertBalanced(source, "skew_noindex", "skew_noindex");
  }

  /**
   * 90% of the keys share the prefix {@code acct-}, the rest spread over {@code b} to {@code z}:
   * cut along the key (in key order, not heap order), under the database's collation.
   */
  @Test
  void aSkewedVarcharKeyFromPostgresIsReadInUnitsOfEvenRows() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS skew_text",
        "CREATE TABLE skew_text (id VARCHAR(40) PRIMARY KEY, note VARCHAR(20) NOT NULL)",
        "INSERT INTO skew_text SELECT 'acct-' || lpad(g::text, 7, '0'), 'dense' FROM generate_series(1, 54000) g",
        "INSERT INTO skew_text SELECT chr(98 + g % 25) || md5(g::text), 'sparse' FROM generate_series(1, 6000) g");
    System.setProperty(HeapOrder.SWITCH, "false");
    try {
      Recorded run =
          assertBalanced(source, "skew_text", "skew_text", "id", KEYED_BATCH, KEYED_ROWS);
      assertThat("read along the key", run.heapOrder, equalTo(false));
    } finally {
      System.clearProperty(HeapOrder.SWITCH);
    }
  }

  /**
   * 90% of the UUIDs lie in one tiny range at the bottom of the key space; they are also narrow
   * rows packed about 150 to a page, while the other 10% are 1.5 kB rows, 5 to a page, on three
   * quarters of the table's pages. Read in heap order (runs of pages), the units still hold even
   * rows, not even pages.
   */
  @Test
  void aSkewedUuidKeyFromPostgresIsReadInUnitsOfEvenRowsNotEvenPages() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS skew_uuid",
        "CREATE TABLE skew_uuid (id UUID PRIMARY KEY, note TEXT NOT NULL)",
        "INSERT INTO skew_uuid SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'dense' FROM generate_series(1, 54000) g",
        "INSERT INTO skew_uuid SELECT md5('sparse' || g)::uuid, repeat(md5(g::text), 47) FROM generate_series(1, 6000) g");
    Recorded run = assertBalanced(source, "skew_uuid", "skew_uuid", "id", KEYED_BATCH, KEYED_ROWS);
    assertThat("read in heap order", run.heapOrder, equalTo(true));
  }

  /** The same skew on MariaDB, where UUIDs are {@code char(36)}, read along the key. */
  @Test
  void aSkewedUuidKeyFromMariadbIsReadInUnitsOfEvenRows() throws Exception {
    ConnectionSpec source = TestDatabases.mariadb("metaload_src");
    String md5 = "MD5(CONCAT('sparse', seq))";
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS skew_uuid_char",
        "CREATE TABLE skew_uuid_char (id CHAR(36) CHARACTER SET ascii PRIMARY KEY, note VARCHAR(20) NOT NULL)",
        "INSERT INTO skew_uuid_char SELECT CONCAT('00000000-0000-4000-8000-', LPAD(LOWER(HEX(seq)), 12, '0')), 'dense' FROM seq_1_to_54000",
        "INSERT INTO skew_uuid_char SELECT CONCAT(SUBSTR("
            + md5
            + ", 1, 8), '-', SUBSTR("
            + md5
            + ", 9, 4), '-', SUBSTR("
            + md5
            + ", 13, 4), "
            + "'-', SUBSTR("
            + md5
            + ", 17, 4), '-', SUBSTR("
            + md5
            + ", 21, 12)), 'sparse' FROM seq_1_to_6000");
    Recorded run =
        assertBalanced(source, "skew_uuid_maria", "skew_uuid_char", "id", KEYED_BATCH, KEYED_ROWS);
    assertThat("read along the key", run.heapOrder, equalTo(false));
  }

  @Test
  void aNonUniqueIndexedKeyWithAHotValueIsCutAroundIt() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS hot_key",
        "CREATE TABLE hot_key (id BIGINT NOT NULL, note VARCHAR(20) NOT NULL)",
        "CREATE INDEX hot_key_id ON hot_key (id)",
        "INSERT INTO hot_key SELECT x, 'spread' FROM generate_series(1, 170000) x",
        "INSERT INTO hot_key SELECT 90000, 'hot' FROM generate_series(1, 30000) x");
    KillableLoad load =
        new KillableLoad(
            dir, "hot_key", "hot_key", source, TestDatabases.postgres("metaload_dst"), 2_000);
    CliRun run = CliRun.metaload(load.run("--parallelism=2"));
    assertThat(run.err, run.exitCode, equalTo(0));
    long rows = TestDatabases.count(source, "hot_key");
    assertThat(TestDatabases.count(load.target, "hot_key"), equalTo(rows));
    Recorded recorded = Recorded.of(load, "id");
    assertThat("positions are key values", recorded.ordinal, equalTo(false));
    assertThat("units planned", recorded.units.size(), greaterThanOrEqualTo(8));
    long hotRows =
        Long.parseLong(
            TestDatabases.strings(source, "SELECT COUNT(*) FROM hot_key WHERE id = 90000").get(0));
    List<Unit> hot =
        recorded.units.stream()
            .filter(u -> u.from <= 90_000 && 90_000 < u.to)
            .collect(Collectors.toList());
    assertThat("one unit holds the hot value", hot, hasSize(1));
    assertThat(
        "it holds all " + hotRows + " of its rows",
        hot.get(0).sourceRows,
        greaterThanOrEqualTo(hotRows));
    List<Unit> rest =
        recorded.units.stream().filter(u -> u != hot.get(0)).collect(Collectors.toList());
    double restMean = (rows - hot.get(0).sourceRows) / (double) rest.size();
    assertThat(
        "the other units are even around it: largest / mean of their rows in the source",
        rest.stream().mapToLong(u -> u.sourceRows).max().getAsLong() / restMean,
        lessThanOrEqualTo(MAX_IMBALANCE));
  }

  @Test
  void aNonUniqueKeyOfATableWithAPrimaryKeyReadsItsHotValueInBatchesOfTheBatchSize()
      throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS hot_account",
        "CREATE TABLE hot_account (pk BIGINT PRIMARY KEY, id BIGINT NOT NULL)",
        "CREATE INDEX hot_account_id ON hot_account (id)",
        "INSERT INTO hot_account SELECT x, CASE WHEN x % 20 < 3 THEN 90000 ELSE x END FROM generate_series(1, "
            + ROWS
            + ") x");
    KillableLoad load =
        new KillableLoad(
            dir,
            "hot_account",
            "hot_account",
            source,
            TestDatabases.postgres("metaload_dst"),
            2_000);
    CliRun run = CliRun.metaload(load.run("--parallelism=2"));
    assertThat(run.err, run.exitCode, equalTo(0));
    TableComparison.assertSameRows(
        source, "hot_account", load.target, "hot_account", "pk, id", "pk");
    Recorded recorded = Recorded.of(load, "id");
    assertThat(
        "largest batch",
        Long.parseLong(
            KillableLoad.strings(
                    load.metadata,
                    "SELECT MAX(rows_read) FROM load_batch WHERE run_id = " + recorded.runId)
                .get(0)),
        lessThanOrEqualTo(2_000L));
    assertThat(
        "the 30,000 rows of the hot value are in several batches",
        Long.parseLong(
            KillableLoad.strings(
                    load.metadata,
                    "SELECT COUNT(*) FROM load_batch WHERE run_id = " + recorded.runId)
                .get(0)),
        greaterThanOrEqualTo((long) ROWS / 2_000));
    assertEven(recorded, TestDatabases.count(source, "hot_account"), 2_000);
  }

  /**
   * MariaDB is read along the key: the 500,000 rows of one value of a non-unique key are cut by the
   * primary key into batches of at most the batch size, the bound the reader's memory is configured
   * by (batch size x batches in flight).
   */
  @Test
  void aHotValueOfHalfAMillionRowsFromMariadbIsReadInBatchesOfTheBatchSize() throws Exception {
    ConnectionSpec source = TestDatabases.mariadb("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS hot_half_million",
        "CREATE TABLE hot_half_million (pk BIGINT PRIMARY KEY, id BIGINT NOT NULL, note VARCHAR(40) NOT NULL, KEY hot_half_million_id (id))",
        "INSERT INTO hot_half_million SELECT seq, CASE WHEN seq <= 500000 THEN 7 ELSE seq END, CONCAT('row ', seq) FROM seq_1_to_520000");
    KillableLoad load =
        new KillableLoad(
            dir,
            "hot_half_million",
            "hot_half_million",
            source,
            TestDatabases.postgres("metaload_dst"),
            5_000);
    CliRun run = CliRun.metaload(load.run("--parallelism=2"));
    assertThat(run.err, run.exitCode, equalTo(0));
    TableComparison.assertSameRows(
        source, "hot_half_million", load.target, "hot_half_million", "pk, id, note", "pk");
    assertThat(
        TestDatabases.strings(load.target, "SELECT COUNT(*) FROM hot_half_million WHERE id = 7"),
        equalTo(List.of("500000")));
    Recorded recorded = Recorded.of(load, "id");
    assertThat(
        "largest batch",
        Long.parseLong(
            KillableLoad.strings(
                    load.metadata,
                    "SELECT MAX(rows_read) FROM load_batch WHERE run_id = " + recorded.runId)
                .get(0)),
        lessThanOrEqualTo(5_000L));
    assertEven(recorded, TestDatabases.count(source, "hot_half_million"), 5_000);
  }

  private static void assertBalanced(ConnectionSpec source, String name, String table)
      throws Exception {
    assertBalanced(source, name, table, "id", 2_000, ROWS);
  }

  /**
   * Loads {@code table} with parallelism 2 and checks its units against the source, and what {@code
   * status --run} says of them.
   */
  private static Recorded assertBalanced(
      ConnectionSpec source,
      String name,
      String table,
      String splitKey,
      int batch,
      long expectedRows)
      throws Exception {
    KillableLoad load =
        new KillableLoad(dir, name, table, source, TestDatabases.postgres("metaload_dst"), batch);
    CliRun run = CliRun.metaload(load.run("--parallelism=2"));
    assertThat(run.err, run.exitCode, equalTo(0));
    long rows = TestDatabases.count(source, table);
    assertThat("rows in the source", rows, equalTo(expectedRows));
    assertThat("rows in the target", TestDatabases.count(load.target, table), equalTo(rows));
    Recorded recorded = Recorded.of(load, splitKey);
    assertEven(recorded, rows, batch);
    assertThat(
        "every unit has an estimate", recorded.units.stream().allMatch(u -> u.estimated > 0));

    List<Unit> units = recorded.units;
    long largest = units.stream().mapToLong(u -> u.sourceRows).max().getAsLong();
    double mean = (double) rows / units.size();
    CliRun status =
        CliRun.metaload(
            "status", "--config", load.config.toString(), "--run", Long.toString(recorded.runId));
    assertThat(
        status.out,
        containsString(
            String.format(
                "read units: %d, rows per unit: largest %,d, mean %,.0f, imbalance %.2f (largest / mean)",
                units.size(), largest, mean, largest / mean)));
    List<String> slowest =
        status.out.lines().filter(l -> l.startsWith("  slowest: ")).collect(Collectors.toList());
    assertThat(status.out, slowest, hasSize(3));
    double longest = units.stream().mapToDouble(u -> u.seconds).max().getAsDouble();
    String first = slowest.get(0);
    String shown =
        first
            .substring(first.lastIndexOf(", ") + 2, first.length() - " s".length())
            .replace(',', '.');
    assertThat(first, Double.parseDouble(shown), closeTo(longest, 0.11));
    for (String line : slowest) {
      assertThat(
          line,
          units.stream()
              .anyMatch(
                  u ->
                      line.startsWith(
                          String.format(
                              "  slowest: partition %d unit %d, positions [%d, %d), %,d rows (%,d estimated)",
                              u.partition, u.index, u.from, u.to, u.sourceRows, u.estimated))));
    }
    return recorded;
  }

  /**
   * The units' sizes, counted in the source, against the mean the source gives ({@code rows} over
   * the units): the largest within 1.25 times it; for a string or UUID key read along the key,
   * whose units are whole sub-ranges of one batch each, every unit within one batch of it.
   */
  private static void assertEven(Recorded recorded, long rows, int batch) {
    List<Unit> units = recorded.units;
    assertThat("units planned", units.size(), greaterThanOrEqualTo(8));
    double mean = (double) rows / units.size();
    long largest = units.stream().mapToLong(u -> u.sourceRows).max().getAsLong();
    assertThat(
        "largest unit / mean, both counted in the source: " + units,
        largest / mean,
        lessThanOrEqualTo(MAX_IMBALANCE));
    if (recorded.ordinal && !recorded.heapOrder) {
      for (Unit u : units) {
        assertThat(
            "unit " + u + " against the mean " + mean + " of " + units,
            (double) u.sourceRows,
            closeTo(mean, batch));
      }
    }
  }

  /**
   * A read unit as {@code load_read_unit} records it, with the rows the source holds in its range
   * and those its batches read.
   */
  static final class Unit {
    int partition;
    int index;
    long from;
    long to;
    long estimated;
    long sourceRows;
    long protocolRows;
    double seconds;

    @Override
    public String toString() {
      return "p" + partition + "u" + index + " [" + from + ", " + to + "): " + sourceRows + " rows";
    }
  }

  /**
   * The run of a load, its recorded units and what its plan says of their positions, read with
   * plain SQL and JSON.
   */
  static final class Recorded {
    long runId;
    boolean ordinal;
    boolean heapOrder;
    List<Unit> units = new ArrayList<>();

    /**
     * The load's latest run: its first attempt's units, each counted in the source over its range
     * (key values for an integer key; for an ordinal key, positions that number the sub-ranges
     * between the plan's boundary tuples: unit {@code [from, to)} runs from tuple {@code from - 1}
     * to before tuple {@code to - 1}, unbounded at the ends), checked to tile the source and to
     * hold what the run's batches read.
     */
    static Recorded of(KillableLoad load, String splitKey) throws Exception {
      Recorded r = new Recorded();
      r.runId =
          Long.parseLong(
              KillableLoad.strings(
                      load.metadata,
                      "SELECT MAX(run_id) FROM load_run WHERE load_name = '" + load.name + "'")
                  .get(0));
      JsonNode plan;
      try (Connection c = load.metadata.open();
          PreparedStatement ps = c.prepareStatement("SELECT plan FROM load_run WHERE run_id = ?")) {
        ps.setLong(1, r.runId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          plan = new ObjectMapper().readTree(rs.getBytes(1));
        }
      }
      r.ordinal = plan.get("splitKeyType").asText().equals("ORDINAL");
      r.heapOrder = plan.hasNonNull("heapOrder");
      List<String> columns = new ArrayList<>();
      if (r.heapOrder) {
        columns.add("ctid");
      } else if (r.ordinal && plan.hasNonNull("orderKey")) {
        plan.get("orderKey").forEach(c -> columns.add(c.asText()));
      } else {
        columns.add(splitKey);
      }
      try (Connection c = load.metadata.open();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT partition_id, unit_index, key_from, "
                      + "key_to, estimated_rows FROM load_read_unit WHERE run_id = ? AND attempt = (SELECT MIN(attempt) FROM load_read_unit "
                      + "WHERE run_id = ?) ORDER BY partition_id, unit_index")) {
        ps.setLong(1, r.runId);
        ps.setLong(2, r.runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Unit u = new Unit();
            u.partition = rs.getInt(1);
            u.index = rs.getInt(2);
            u.from = rs.getLong(3);
            u.to = rs.getLong(4);
            u.estimated = rs.getLong(5);
            r.units.add(u);
          }
        }
      }
      assertThat("units recorded for run " + r.runId, r.units.size(), greaterThan(0));
      for (int i = 1; i < r.units.size(); i++) {
        Unit before = r.units.get(i - 1);
        Unit u = r.units.get(i);
        if (u.partition == before.partition) {
          assertThat("unit " + u + " starts where " + before + " ends", u.from, equalTo(before.to));
        }
      }
      for (Unit u : r.units) {
        List<String> low;
        List<String> high;
        if (r.ordinal) {
          List<List<String>> boundaries = boundaries(plan, u.partition);
          low = u.from <= 0 ? null : boundaries.get((int) u.from - 1);
          high = u.to - 1 >= boundaries.size() ? null : boundaries.get((int) u.to - 1);
        } else {
          low = List.of(Long.toString(u.from));
          high = List.of(Long.toString(u.to));
        }
        u.sourceRows = count(load.source, load.table, columns, low, high);
        try (Connection c = load.metadata.open();
            PreparedStatement ps =
                c.prepareStatement(
                    "SELECT COALESCE(SUM(rows_read), 0), "
                        + "COALESCE(EXTRACT(EPOCH FROM MAX(ended_at) - MIN(started_at)), 0) FROM load_batch WHERE run_id = ? AND partition_id = ? "
                        + "AND key_first >= ? AND key_first < ?")) {
          ps.setLong(1, r.runId);
          ps.setInt(2, u.partition);
          ps.setLong(3, u.from);
          ps.setLong(4, u.to);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            u.protocolRows = rs.getLong(1);
            u.seconds = rs.getDouble(2);
          }
        }
      }
      long total = TestDatabases.count(load.source, load.table);
      assertThat(
          "rows of the source in the units " + r.units,
          r.units.stream().mapToLong(u -> u.sourceRows).sum(),
          equalTo(total));
      for (Unit u : r.units) {
        assertThat(
            "rows the batches of unit " + u + " read", u.protocolRows, equalTo(u.sourceRows));
      }
      return r;
    }

    private static List<List<String>> boundaries(JsonNode plan, int partition) {
      for (JsonNode p : plan.get("partitions")) {
        if (p.get("id").asInt() == partition) {
          List<List<String>> out = new ArrayList<>();
          if (p.hasNonNull("boundaries")) {
            for (JsonNode tuple : p.get("boundaries")) {
              List<String> values = new ArrayList<>();
              tuple.forEach(v -> values.add(v.asText()));
              out.add(values);
            }
          }
          return out;
        }
      }
      throw new AssertionError("the plan has no partition " + partition + ": " + plan);
    }

    /**
     * The source's rows whose {@code columns} lie in {@code [low, high)} (a null bound is open),
     * compared by the source as row values, e.g. {@code (id, pk) >= (?, ?)}; PostgreSQL types each
     * bound from its column ({@code uuid}, {@code tid}, ...).
     */
    private static long count(
        ConnectionSpec source,
        String table,
        List<String> columns,
        List<String> low,
        List<String> high)
        throws SQLException {
      boolean postgres = source.url().startsWith("jdbc:postgresql:");
      String tuple = columns.size() == 1 ? columns.get(0) : "(" + String.join(", ", columns) + ")";
      String values =
          columns.size() == 1
              ? "?"
              : "(" + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
      String sql =
          "SELECT COUNT(*) FROM "
              + table
              + " WHERE 1 = 1"
              + (low == null ? "" : " AND " + tuple + " >= " + values)
              + (high == null ? "" : " AND " + tuple + " < " + values);
      try (Connection c = source.open();
          PreparedStatement ps = c.prepareStatement(sql)) {
        int i = 1;
        for (List<String> bound : Arrays.asList(low, high)) {
          if (bound == null) {
            continue;
          }
          assertThat("values of a bound of " + columns, bound, hasSize(columns.size()));
          for (String value : bound) {
            if (postgres) {
              ps.setObject(i++, value, Types.OTHER);
            } else {
              ps.setString(i++, value);
            }
          }
        }
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }
  }
}

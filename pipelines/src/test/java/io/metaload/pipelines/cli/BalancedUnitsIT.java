package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.metaload.metadata.config.ConfigLoader;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunRepository;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read units are cut at the quantiles the planner finds in the data, so a key with 90% of its
 * rows packed into 5% of its range is read in units of even rows, like a uniform key; the
 * protocol records every unit and {@code status --run} prints the imbalance.
 */
class BalancedUnitsIT {
  private static final int ROWS = 200_000;

  @TempDir static Path dir;

  @Test
  void aSkewedIntegerKeyFromPostgresIsReadInUnitsOfEvenRows() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(source, "DROP TABLE IF EXISTS skew_orders", "CREATE TABLE skew_orders (id BIGINT PRIMARY KEY, note VARCHAR(20) NOT NULL)",
        "INSERT INTO skew_orders SELECT x, 'dense' FROM generate_series(1, 180000) x",
        "INSERT INTO skew_orders SELECT 180001 + x * 170, 'sparse' FROM generate_series(0, 19999) x");
    assertBalanced(source, "skew_pg", "skew_orders");
  }

  /** Large PostgreSQL tables take their quantiles from a sample of pages; here the threshold is lowered to this table's size. */
  @Test
  void aSkewedIntegerKeyFromPostgresIsBalancedBySampledQuantiles() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(source, "DROP TABLE IF EXISTS skew_sampled", "CREATE TABLE skew_sampled (id BIGINT PRIMARY KEY, note VARCHAR(20) NOT NULL)",
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
    TestDatabases.execute(source, "DROP TABLE IF EXISTS skew_orders", "CREATE TABLE skew_orders (id BIGINT PRIMARY KEY, note VARCHAR(20) NOT NULL)",
        "INSERT INTO skew_orders SELECT seq, 'dense' FROM seq_1_to_180000",
        "INSERT INTO skew_orders SELECT 180001 + seq * 170, 'sparse' FROM seq_0_to_19999");
    assertBalanced(source, "skew_maria", "skew_orders");
  }

  @Test
  void aUniformKeyIsReadInUnitsOfEvenRowsToo() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(source, "DROP TABLE IF EXISTS uniform_orders",
        "CREATE TABLE uniform_orders (id BIGINT PRIMARY KEY, note VARCHAR(20) NOT NULL)",
        "INSERT INTO uniform_orders SELECT x * 3, 'even' FROM generate_series(1, 200000) x");
    assertBalanced(source, "uniform_pg", "uniform_orders");
  }

  @Test
  void aSkewedKeyWithoutAnIndexIsBalancedByOneSortedPass() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(source, "DROP TABLE IF EXISTS skew_noindex", "CREATE TABLE skew_noindex (id BIGINT NOT NULL, note VARCHAR(20) NOT NULL)",
        "INSERT INTO skew_noindex SELECT x, 'dense' FROM generate_series(1, 180000) x",
        "INSERT INTO skew_noindex SELECT 180001 + x * 170, 'sparse' FROM generate_series(0, 19999) x");
    assertBalanced(source, "skew_noindex", "skew_noindex");
  }

  @Test
  void aNonUniqueIndexedKeyWithAHotValueIsCutAroundIt() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(source, "DROP TABLE IF EXISTS hot_key", "CREATE TABLE hot_key (id BIGINT NOT NULL, note VARCHAR(20) NOT NULL)",
        "CREATE INDEX hot_key_id ON hot_key (id)",
        "INSERT INTO hot_key SELECT x, 'spread' FROM generate_series(1, 170000) x",
        "INSERT INTO hot_key SELECT 90000, 'hot' FROM generate_series(1, 30000) x");
    KillableLoad load = new KillableLoad(dir, "hot_key", "hot_key", source, TestDatabases.postgres("metaload_dst"), 2_000);
    CliRun run = CliRun.metaload(load.run("--parallelism=2"));
    assertThat(run.err, run.exitCode, equalTo(0));
    assertThat(TestDatabases.count(load.target, "hot_key"), equalTo((long) ROWS));
    List<RunRepository.UnitSummary> units = units(load);
    assertThat("units planned", units.size(), greaterThanOrEqualTo(8));
    assertThat("every row is in some unit", units.stream().mapToLong(u -> u.rowsRead).sum(), equalTo((long) ROWS));
    List<RunRepository.UnitSummary> hot = units.stream().filter(u -> u.keyFrom <= 90_000 && 90_000 < u.keyTo).collect(Collectors.toList());
    assertThat("one unit holds the hot value", hot.size(), equalTo(1));
    assertThat("it holds all 30,001 of its rows", hot.get(0).rowsRead, greaterThanOrEqualTo(30_001L));
    List<RunRepository.UnitSummary> rest = units.stream().filter(u -> !hot.contains(u)).collect(Collectors.toList());
    assertThat("the other units are even around it", RunRepository.imbalance(rest), lessThanOrEqualTo(1.25));
  }

  @Test
  void aNonUniqueKeyOfATableWithAPrimaryKeyReadsItsHotValueInBatchesOfTheBatchSize() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(source, "DROP TABLE IF EXISTS hot_account", "CREATE TABLE hot_account (pk BIGINT PRIMARY KEY, id BIGINT NOT NULL)",
        "CREATE INDEX hot_account_id ON hot_account (id)",
        "INSERT INTO hot_account SELECT x, CASE WHEN x % 20 < 3 THEN 90000 ELSE x END FROM generate_series(1, " + ROWS + ") x");
    KillableLoad load = new KillableLoad(dir, "hot_account", "hot_account", source, TestDatabases.postgres("metaload_dst"), 2_000);
    CliRun run = CliRun.metaload(load.run("--parallelism=2"));
    assertThat(run.err, run.exitCode, equalTo(0));
    TableComparison.assertSameRows(source, "hot_account", load.target, "hot_account", "pk, id", "pk");
    long runId = load.runs().get(0).runId;
    assertThat("largest batch", Long.parseLong(KillableLoad.strings(load.metadata, "SELECT MAX(rows_read) FROM load_batch WHERE run_id = "
        + runId).get(0)), lessThanOrEqualTo(2_000L));
    assertThat("the 30,000 rows of the hot value are in several batches", Long.parseLong(KillableLoad.strings(load.metadata,
        "SELECT COUNT(*) FROM load_batch WHERE run_id = " + runId).get(0)), greaterThanOrEqualTo((long) ROWS / 2_000));
    assertThat(RunRepository.imbalance(units(load)), lessThanOrEqualTo(1.25));
  }

  /**
   * MariaDB is read along the key: the 500,000 rows of one value of a non-unique key are cut by
   * the primary key into batches of at most the batch size, the bound the reader's memory is
   * configured by (batch size x batches in flight).
   */
  @Test
  void aHotValueOfHalfAMillionRowsFromMariadbIsReadInBatchesOfTheBatchSize() throws Exception {
    ConnectionSpec source = TestDatabases.mariadb("metaload_src");
    TestDatabases.execute(source, "DROP TABLE IF EXISTS hot_half_million",
        "CREATE TABLE hot_half_million (pk BIGINT PRIMARY KEY, id BIGINT NOT NULL, note VARCHAR(40) NOT NULL, KEY hot_half_million_id (id))",
        "INSERT INTO hot_half_million SELECT seq, CASE WHEN seq <= 500000 THEN 7 ELSE seq END, CONCAT('row ', seq) FROM seq_1_to_520000");
    KillableLoad load = new KillableLoad(dir, "hot_half_million", "hot_half_million", source, TestDatabases.postgres("metaload_dst"), 5_000);
    CliRun run = CliRun.metaload(load.run("--parallelism=2"));
    assertThat(run.err, run.exitCode, equalTo(0));
    TableComparison.assertSameRows(source, "hot_half_million", load.target, "hot_half_million", "pk, id, note", "pk");
    assertThat(TestDatabases.strings(load.target, "SELECT COUNT(*) FROM hot_half_million WHERE id = 7"), equalTo(List.of("500000")));
    long runId = load.runs().get(0).runId;
    assertThat("largest batch", Long.parseLong(KillableLoad.strings(load.metadata, "SELECT MAX(rows_read) FROM load_batch WHERE run_id = "
        + runId).get(0)), lessThanOrEqualTo(5_000L));
    assertThat(RunRepository.imbalance(units(load)), lessThanOrEqualTo(1.25));
  }

  private static List<RunRepository.UnitSummary> units(KillableLoad load) {
    try (MetadataStore store = MetadataStore.open(ConfigLoader.fromSystemEnvironment().load(load.config).metadata())) {
      return store.runs().units(1);
    }
  }

  private static void assertBalanced(ConnectionSpec source, String name, String table) throws Exception {
    KillableLoad load = new KillableLoad(dir, name, table, source, TestDatabases.postgres("metaload_dst"), 2_000);
    CliRun run = CliRun.metaload(load.run("--parallelism=2"));
    assertThat(run.err, run.exitCode, equalTo(0));
    assertThat(TestDatabases.count(load.target, table), equalTo((long) ROWS));
    List<RunRepository.UnitSummary> units = units(load);
    assertThat("units planned", units.size(), greaterThanOrEqualTo(8));
    assertThat("every row is in some unit", units.stream().mapToLong(u -> u.rowsRead).sum(), equalTo((long) ROWS));
    assertThat("largest unit / mean", RunRepository.imbalance(units), lessThanOrEqualTo(1.25));
    assertThat("every unit has an estimate", units.stream().allMatch(u -> u.estimatedRows > 0));
    CliRun status = CliRun.metaload("status", "--config", load.config.toString(), "--run", "1");
    assertThat(status.out, containsString(String.format("read units: %d, rows per unit: largest %,d, mean %,.0f, imbalance %.2f (largest / mean)",
        units.size(), units.stream().mapToLong(u -> u.rowsRead).max().getAsLong(), (double) ROWS / units.size(), RunRepository.imbalance(units))));
    List<String> slowest = status.out.lines().filter(l -> l.startsWith("  slowest: ")).collect(Collectors.toList());
    assertThat(status.out, slowest, hasSize(3));
    assertThat(slowest.get(0), endsWith(String.format(" %.1f s", units.stream().mapToDouble(u -> u.seconds).max().getAsDouble())));
    for (String line : slowest) {
      assertThat(line, units.stream().anyMatch(u -> line.startsWith(String.format("  slowest: partition %d unit %d, positions [%d, %d), %,d rows (%,d estimated)",
          u.partitionId, u.unitIndex, u.keyFrom, u.keyTo, u.rowsRead, u.estimatedRows))));
    }
  }
}

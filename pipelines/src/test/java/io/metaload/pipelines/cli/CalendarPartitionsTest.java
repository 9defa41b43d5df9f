package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strategies {@code day} and {@code month}: one partition per calendar day or month of a date or
 * timestamp split key between bounds, which may come from {@code --param}; rows outside the bounds
 * are not loaded.
 */
class CalendarPartitionsTest {
  @TempDir Path dir;

  private final ConnectionSpec db = TestDatabases.h2("calendar_test");
  private H2Loads loads;

  @BeforeEach
  void defineLoads() throws IOException {
    TestDatabases.execute(
        db,
        "DROP TABLE IF EXISTS cal_sales",
        "DROP TABLE IF EXISTS cal_days",
        "DROP TABLE IF EXISTS cal_months",
        "DROP TABLE IF EXISTS cal_expected",
        "DROP TABLE IF EXISTS cal_bad",
        "CREATE TABLE cal_sales (id BIGINT PRIMARY KEY, sold_on DATE NOT NULL, sold_at TIMESTAMP(6) NOT NULL, amount INTEGER NOT NULL)",
        "INSERT INTO cal_sales SELECT X, DATEADD(DAY, MOD(X, 91), DATE '2024-01-01'), "
            + "DATEADD(MINUTE, MOD(X * 7, 1440), DATEADD(DAY, MOD(X, 91), TIMESTAMP '2024-01-01 00:00:00')), MOD(X, 1000) FROM SYSTEM_RANGE(1, 3000)");
    loads =
        new H2Loads(
            dir,
            db,
            "loads:\n"
                + "  - { name: days, source: { connection: db, table: cal_sales }, splitKey: sold_on, batchSize: 50,\n"
                + "      partitioning: { strategy: day, from: '${param.from}', to: '${param.to}' }, target: { connection: db, table: cal_days } }\n"
                + "  - { name: months, source: { connection: db, table: cal_sales }, splitKey: sold_at, batchSize: 200,\n"
                + "      partitioning: { strategy: month, from: 2024-01-01, to: 2024-03-01 }, target: { connection: db, table: cal_months } }\n"
                + "  - { name: bad, source: { connection: db, table: cal_sales }, splitKey: id,\n"
                + "      partitioning: { strategy: day, from: 2024-01-01, to: 2024-01-05 }, target: { connection: db, table: cal_bad } }\n");
  }

  @Test
  void aDayPartitionPerDayLoadsExactlyTheRowsOfTheDays() {
    CliRun run = run("--load", "days", "--param", "from=2024-01-10", "--param", "to=2024-01-20");

    assertThat(run.err, run.exitCode, equalTo(0));
    assertThat(run.out, containsString("10 partition(s)"));
    TestDatabases.execute(
        db,
        "CREATE TABLE cal_expected AS SELECT * FROM cal_sales WHERE sold_on >= DATE '2024-01-10' AND sold_on < DATE '2024-01-20'");
    TableComparison.assertSameRows(
        db, "cal_expected", db, "cal_days", "id, sold_on, sold_at, amount", "id");
    CliRun status = loads.status(1);
    assertThat(status.out, containsString("SOLD_ON in [2024-01-19, 2024-01-20)"));
  }

  @Test
  void aMonthPartitionPerMonthWorksOnATimestampKey() {
    CliRun run = run("--load", "months");

    assertThat(run.err, run.exitCode, equalTo(0));
    assertThat(run.out, containsString("2 partition(s)"));
    TestDatabases.execute(
        db,
        "CREATE TABLE cal_expected AS SELECT * FROM cal_sales WHERE sold_at < TIMESTAMP '2024-03-01 00:00:00'");
    TableComparison.assertSameRows(
        db, "cal_expected", db, "cal_months", "id, sold_on, sold_at, amount", "id");
  }

  @Test
  void badCalendarBoundsAndKeysAreUsageErrors() {
    CliRun integerKey = run("--load", "bad");
    assertThat(integerKey.err, integerKey.exitCode, equalTo(2));
    assertThat(
        integerKey.err,
        containsString("strategy 'day' needs a date or timestamp split key; ID is integer"));

    CliRun backwards =
        run("--load", "days", "--param", "from=2024-02-01", "--param", "to=2024-01-01");
    assertThat(backwards.err, backwards.exitCode, equalTo(2));
    assertThat(
        backwards.err,
        containsString(
            "field 'partitioning.to' (2024-01-01) must be after 'partitioning.from' (2024-02-01)"));

    CliRun malformed =
        run("--load", "days", "--param", "from=2024-13-01", "--param", "to=2024-01-01");
    assertThat(malformed.err, malformed.exitCode, equalTo(2));
    assertThat(
        malformed.err,
        containsString(
            "field 'partitioning.from' must be a date like 2024-01-31, was '2024-13-01'"));

    CliRun tooMany =
        run("--load", "days", "--param", "from=1900-01-01", "--param", "to=2024-01-01");
    assertThat(tooMany.err, tooMany.exitCode, equalTo(2));
    assertThat(tooMany.err, containsString("at most 10000 are allowed"));
  }

  private CliRun run(String... args) {
    return loads.run(args);
  }
}

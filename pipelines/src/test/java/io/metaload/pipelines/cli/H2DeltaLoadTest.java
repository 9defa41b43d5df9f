package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An H2 to H2 watermark load along a {@code TIMESTAMP WITH TIME ZONE} column: the first run copies
 * the table, the second merges only the changed rows ({@code MERGE INTO ... KEY}) and publishes the
 * next watermark with them.
 */
class H2DeltaLoadTest {
  @TempDir Path dir;

  private final ConnectionSpec db = TestDatabases.h2("h2_delta_test");

  @Test
  void aSecondRunMergesOnlyTheRowsChangedSinceTheFirstAlongATimeZoneColumn() throws Exception {
    TestDatabases.execute(
        db,
        "DROP TABLE IF EXISTS h2d_src",
        "DROP TABLE IF EXISTS h2d_dst",
        "DROP TABLE IF EXISTS metaload_publication",
        "CREATE TABLE h2d_src (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL, changed TIMESTAMP(6) WITH TIME ZONE NOT NULL)",
        "INSERT INTO h2d_src SELECT X, 'row' || X, CURRENT_TIMESTAMP(6) - X * INTERVAL '1' MINUTE FROM SYSTEM_RANGE(1, 500)");
    H2Loads loads =
        new H2Loads(
            dir,
            db,
            "loads:\n  - { name: h2d, source: { connection: db, table: h2d_src }, splitKey: id, batchSize: 100,\n"
                + "      delta: { mode: watermark, column: changed, lookback: 5m }, target: { connection: db, table: h2d_dst, writeMode: merge } }\n");
    CliRun first = loads.run("--load", "h2d");
    assertThat(first.err, first.exitCode, equalTo(0));
    Thread.sleep(20);
    TestDatabases.execute(
        db,
        "UPDATE h2d_src SET name = 'changed', changed = CURRENT_TIMESTAMP(6) WHERE id <= 10",
        "INSERT INTO h2d_src VALUES (501, 'new', CURRENT_TIMESTAMP(6))");

    CliRun second = loads.run("--load", "h2d");

    assertThat(second.err, second.exitCode, equalTo(0));
    TableComparison.assertSameRows(db, "h2d_src", db, "h2d_dst", "id, name, changed", "id");
    assertThat(
        "the second run read its window: the 11 changed rows (the rows stamped within the lookback are among them)",
        TestDatabases.strings(
                db,
                "SELECT rows_published FROM metaload_publication WHERE load_name = 'h2d' ORDER BY recorded_at")
            .get(1),
        equalTo("11"));
    CliRun status = loads.status(2);
    assertThat(status.err, status.exitCode, equalTo(0));
    assertThat(status.out, org.hamcrest.Matchers.containsString("window: CHANGED in ["));
    assertThat(status.out, org.hamcrest.Matchers.containsString("the load's watermark now: "));
  }
}

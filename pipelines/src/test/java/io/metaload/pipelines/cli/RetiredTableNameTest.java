package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A metadata store made anew numbers its runs from 1 again; the table a swap retires the old target
 * into must not collide with what a run 1 of the earlier store left behind.
 */
class RetiredTableNameTest {
  @TempDir Path dir;

  @Test
  void aLeftoverOfAnEarlierStoresRunOneDoesNotStopTheSwap() throws Exception {
    ConnectionSpec db = TestDatabases.h2("retired_name_test");
    SampleTables.h2(db, "retired_source", 500);
    TestDatabases.execute(
        db,
        "DROP TABLE IF EXISTS retired_target",
        "DROP TABLE IF EXISTS retired_target_ml_old_1",
        "CREATE TABLE retired_target_ml_old_1 (id BIGINT)");
    H2Loads loads =
        new H2Loads(
            dir,
            db,
            "loads:\n  - { name: retired, source: { connection: db, table: retired_source }, "
                + "splitKey: id, target: { connection: db, table: retired_target } }\n");

    CliRun run = loads.run("--load", "retired");

    assertThat(run.err, run.exitCode, equalTo(0));
    assertThat(TestDatabases.count(db, "retired_target"), equalTo(500L));
    assertThat(
        "the earlier store's leftover is left alone",
        TestDatabases.tableExists(db, "retired_target_ml_old_1"),
        equalTo(true));
  }
}

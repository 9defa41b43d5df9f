package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad delta definitions and parameters: each is exit 2 before anything is written, with a message
 * that names the load and the field and says what to do.
 */
class DeltaBadInputIT {
  @TempDir static Path dir;

  private final ConnectionSpec sourceDb = TestDatabases.postgres("metaload_src");
  private final ConnectionSpec targetDb = TestDatabases.postgres("metaload_dst");

  @Test
  void aMissingDeltaColumnIsNamed() throws Exception {
    DeltaLoad load = load("bad_missing", "{ mode: watermark, column: changed_at }", "merge");
    refused(load, List.of(), "field 'delta.column'", "changed_at", "does not exist");
  }

  @Test
  void aTextDeltaColumnIsRefused() throws Exception {
    DeltaLoad load = load("bad_type", "{ mode: watermark, column: status }", "merge");
    refused(load, List.of(), "field 'delta.column'", "must be an integer, date or timestamp");
  }

  @Test
  void aDeltaColumnWithNullsSaysWhatToDo() throws Exception {
    new DeltaSource(sourceDb, "bad_nulls_orders").create(50, List.of());
    TestDatabases.execute(
        sourceDb, "ALTER TABLE bad_nulls_orders ALTER COLUMN updated_at DROP NOT NULL");
    DeltaLoad load =
        new DeltaLoad(
            dir,
            "bad_nulls",
            "bad_nulls_orders",
            sourceDb,
            targetDb,
            "{ mode: watermark, column: updated_at }",
            "merge");
    load.runOk();
    TestDatabases.execute(
        sourceDb, "UPDATE bad_nulls_orders SET updated_at = NULL WHERE id IN (3, 4)");
    CliRun r = CliRun.metaload(load.args());
    assertThat(r.err, r.exitCode, equalTo(2));
    for (String phrase :
        List.of(
            "field 'delta.column'",
            "NULL in 2 rows",
            "at or above the published watermark " + load.watermark(),
            "SET updated_at = CURRENT_TIMESTAMP WHERE updated_at IS NULL",
            "a value below it is never read")) {
      assertThat(r.err, containsString(phrase));
    }
  }

  @Test
  void aMergeIntoATargetWithoutAKeyIsRefused() throws Exception {
    DeltaLoad load = load("bad_nokey", "{ mode: watermark, column: updated_at }", "merge");
    TestDatabases.execute(
        targetDb,
        "CREATE TABLE bad_nokey_orders (id BIGINT NOT NULL, amount DECIMAL(12,2) NOT NULL, "
            + "status VARCHAR(16) NOT NULL, updated_at TIMESTAMP(6) NOT NULL, event_at TIMESTAMP(6) NOT NULL)");
    CliRun r = CliRun.metaload(load.args());
    assertThat(r.err, r.exitCode, equalTo(2));
    assertThat(
        r.err,
        allOf(
            containsString("bad_nokey"),
            containsString("field 'target.writeMode'"),
            containsString("has none (add one)")));
    assertThat(TestDatabases.count(targetDb, "bad_nokey_orders"), equalTo(0L));
  }

  @Test
  void anUnknownParameterIsRefused() throws Exception {
    DeltaLoad load = load("bad_param", "{ mode: watermark, column: updated_at }", "merge");
    CliRun r = CliRun.metaload(load.args("--param", "form=2024-01-01"));
    assertThat(r.err, r.exitCode, equalTo(2));
    assertThat(r.err, allOf(containsString("unknown parameter form"), containsString("bad_param")));
  }

  @Test
  void aMalformedBackfillDateIsRefused() throws Exception {
    DeltaLoad load =
        load(
            "bad_date",
            "{ mode: window-replace, column: event_at, lookback: 2d }",
            "replace-window");
    refused(
        load,
        List.of("--param", "from=2024-13-01", "--param", "to=2024-12-01"),
        "--param from='2024-13-01'",
        "is not a date");
  }

  @Test
  void aWriteModeThatDoesNotFitTheDeltaModeIsRefusedOnImport() throws Exception {
    Path config = dir.resolve("bad_mode-config.yaml");
    Files.writeString(
        config,
        "metadata: { url: 'jdbc:h2:mem:bad_mode', user: sa }\nconnections:\n  src: { url: '"
            + sourceDb.url()
            + "', user: postgres }\n");
    Path loads = dir.resolve("bad_mode-loads.yaml");
    Files.writeString(
        loads,
        "loads:\n  - { name: bad_mode, source: { connection: src, table: t }, splitKey: id, "
            + "delta: { mode: window-replace, column: event_at, lookback: 3d }, target: { connection: src, table: t, writeMode: merge } }\n");
    CliRun r =
        CliRun.metaload("metadata", "import", "--config", config.toString(), loads.toString());
    assertThat(r.err, r.exitCode, equalTo(2));
    assertThat(
        r.err,
        allOf(
            containsString("load 'bad_mode'"),
            containsString("field 'target.writeMode' must be 'replace-window'")));
  }

  private DeltaLoad load(String name, String delta, String writeMode) throws Exception {
    new DeltaSource(sourceDb, name + "_orders").create(50, List.of());
    return new DeltaLoad(dir, name, name + "_orders", sourceDb, targetDb, delta, writeMode);
  }

  private void refused(DeltaLoad load, List<String> extra, String... phrases) {
    CliRun r = CliRun.metaload(load.args(extra.toArray(String[]::new)));
    assertThat(r.err, r.exitCode, equalTo(2));
    assertThat(r.err, containsString(load.name));
    for (String phrase : phrases) {
      assertThat(r.err, containsString(phrase));
    }
    assertThat(
        "nothing was written", TestDatabases.tableExists(load.target, load.table), equalTo(false));
  }
}

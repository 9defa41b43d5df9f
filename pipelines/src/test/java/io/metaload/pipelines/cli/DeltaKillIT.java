package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A delta run killed with SIGKILL in the middle of reading its window (after its first committed
 * batch) or inside its publication's transaction, for a merge and a window replacement, into a
 * PostgreSQL and a MariaDB target: the resume publishes exactly the source's rows, the watermark
 * moves once, and no staging table or ledger is left.
 */
class DeltaKillIT {
  @TempDir static Path dir;

  @ParameterizedTest(name = "{0} into {1}, killed at {2}")
  @CsvSource({
    "watermark, postgres, batch-committed", "watermark, postgres, during-merge",
    "watermark, mariadb, batch-committed", "watermark, mariadb, during-merge",
    "window-replace, postgres, batch-committed", "window-replace, postgres, during-merge",
    "window-replace, mariadb, batch-committed", "window-replace, mariadb, during-merge"
  })
  void aDeltaRunKilledMidReadOrMidPublicationResumesToTheExactTarget(
      String mode, String targetDb, String point) throws Exception {
    ConnectionSpec sourceDb = TestDatabases.postgres("metaload_src");
    ConnectionSpec target =
        targetDb.equals("postgres")
            ? TestDatabases.postgres("metaload_dst")
            : TestDatabases.mariadb("metaload_dst");
    String name =
        "dk_"
            + (mode.equals("watermark") ? "wm" : "wr")
            + "_"
            + targetDb.substring(0, 2)
            + "_"
            + (point.equals("during-merge") ? "merge" : "read");
    boolean replace = mode.equals("window-replace");
    DeltaSource source = new DeltaSource(sourceDb, name).create(2_000, List.of());
    DeltaLoad load =
        new DeltaLoad(
            dir,
            name,
            source.table,
            sourceDb,
            target,
            replace
                ? "{ mode: window-replace, column: event_at, lookback: 3d }"
                : "{ mode: watermark, column: updated_at, lookback: 1h }",
            replace ? "replace-window" : "merge");
    load.runOk();
    String before = load.watermark();
    source.insert(DeltaSource.range(10_000, 300), 0, true);
    if (replace) {
      List<Long> recent = source.idsWithEventBetween(40, 2, 300);
      source.update(recent.subList(0, 250), "changed", true);
      source.delete(recent.subList(250, 300), true);
    } else {
      source.update(DeltaSource.range(100, 500), "changed", true);
    }
    Path pauses = Files.createDirectories(dir.resolve(name));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve(name + ".log"), MetaloadProcess.pauseAt(point, pauses, 0), load.args())) {
      process.awaitPause(pauses, point);
      process.kill();
    }
    assertThat(
        "nothing was published before the kill", load.publishedWatermarks().size(), equalTo(1));
    CliRun resumed = CliRun.metaload(load.args("--resume"));
    assertThat(resumed.err, resumed.exitCode, equalTo(0));
    TableComparison.assertSameRows(
        sourceDb, source.expected, load.target, load.table, DeltaSource.COLUMNS, "id");
    List<String> published = load.publishedWatermarks();
    assertThat("the watermark advanced exactly once", published.size(), equalTo(2));
    assertThat("load_watermark follows the target", load.watermark(), equalTo(published.get(1)));
    assertThat(
        "the watermark moved forward", published.get(1).compareTo(before) > 0, equalTo(true));
    String leftovers =
        targetDb.equals("postgres")
            ? "SELECT tablename FROM pg_tables WHERE tablename LIKE '" + load.table + "\\_ml\\_%'"
            : "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '"
                + load.table
                + "\\_ml\\_%'";
    assertThat(
        "no staging or ledger left",
        TestDatabases.strings(load.target, leftovers),
        equalTo(List.of()));
  }

  /**
   * An orchestrator's --auto-resume after a backfill died resumes the backfill, and says so in the
   * log and the result file.
   */
  @org.junit.jupiter.api.Test
  void anAutoResumedBackfillSaysItResumedABackfillNotTheRegularWindow() throws Exception {
    ConnectionSpec sourceDb = TestDatabases.postgres("metaload_src");
    DeltaSource source = new DeltaSource(sourceDb, "dk_backfill").create(2_000, List.of());
    DeltaLoad load =
        new DeltaLoad(
            dir,
            "dk_backfill",
            source.table,
            sourceDb,
            TestDatabases.postgres("metaload_dst"),
            "{ mode: window-replace, column: event_at, lookback: 1d }",
            "replace-window");
    load.runOk();
    TestDatabases.execute(load.target, "DELETE FROM " + load.table + " WHERE id % 3 = 0");
    String from = LocalDate.now().minusDays(9).toString();
    String to = LocalDate.now().minusDays(1).toString();
    Path pauses = Files.createDirectories(dir.resolve("dk_backfill"));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve("dk_backfill.log"),
            MetaloadProcess.pauseAt("batch-committed", pauses, 0),
            load.args("--param", "from=" + from, "--param", "to=" + to))) {
      process.awaitPause(pauses, "batch-committed");
      process.kill();
    }
    Path result = dir.resolve("dk_backfill-result.json");
    CliRun resumed =
        CliRun.metaload(load.args("--auto-resume", "--result-file", result.toString()));
    assertThat(resumed.err, resumed.exitCode, equalTo(0));
    com.fasterxml.jackson.databind.JsonNode run =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(result.toFile())
            .get("runs")
            .get(0);
    assertThat(run.toString(), run.get("window").get("kind").asText(), equalTo("BACKFILL"));
    assertThat(run.toString(), run.get("resumed").asBoolean(), equalTo(true));
    assertThat(
        run.toString(),
        run.get("note").asText(),
        org.hamcrest.Matchers.containsString("resumed a backfill"));
    assertThat(
        "the backfill repaired its days",
        TestDatabases.strings(
            load.target,
            "SELECT count(*) FROM "
                + load.table
                + " WHERE event_at >= '"
                + from
                + "' AND event_at < '"
                + to
                + "'"),
        equalTo(
            TestDatabases.strings(
                sourceDb,
                "SELECT count(*) FROM "
                    + source.table
                    + " WHERE event_at >= '"
                    + from
                    + "' AND event_at < '"
                    + to
                    + "'")));
  }
}

package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target's publication log says which column a watermark belongs to and in which order the
 * publications happened, independent of any launcher's clock.
 */
class WatermarkLineageIT {
  @TempDir static Path dir;

  private final ConnectionSpec sourceDb = TestDatabases.postgres("metaload_src");
  private final ConnectionSpec targetDb = TestDatabases.postgres("metaload_dst");

  @Test
  void aChangedDeltaColumnIsRefusedUntilARunResetsTheWatermark() throws Exception {
    DeltaSource source = new DeltaSource(sourceDb, "wl_col_orders").create(300, List.of());
    DeltaLoad before =
        new DeltaLoad(
            dir,
            "wl_col",
            source.table,
            sourceDb,
            targetDb,
            "{ mode: watermark, column: updated_at }",
            "merge");
    before.runOk();
    String watermark = before.watermark();
    DeltaLoad after =
        new DeltaLoad(
            dir,
            "wl_col_2",
            "wl_col",
            source.table,
            sourceDb,
            targetDb,
            "{ mode: watermark, column: event_at }",
            "merge");

    CliRun refused = CliRun.metaload(after.args());
    assertThat(refused.err, refused.exitCode, equalTo(2));
    for (String phrase :
        List.of(
            "field 'delta.column' is event_at",
            "watermark '" + watermark + "' of column updated_at",
            "--param resetWatermark=true")) {
      assertThat(refused.err, containsString(phrase));
    }
    assertThat("nothing was published", after.publishedWatermarks(), equalTo(List.of(watermark)));

    source.update(List.of(5L, 6L), "changed", true);
    after.runOk("--param", "resetWatermark=true");
    TableComparison.assertSameRows(
        source.spec, source.expected, targetDb, source.table, DeltaSource.COLUMNS, "id");
    assertThat(
        TestDatabases.strings(
            targetDb,
            "SELECT delta_column FROM metaload_publication WHERE load_name = 'wl_col' ORDER BY seq"),
        equalTo(List.of("updated_at", "event_at")));
    source.insert(List.of(5_000L), 0, true);
    after.runOk();
    TableComparison.assertSameRows(
        source.spec, source.expected, targetDb, source.table, DeltaSource.COLUMNS, "id");
  }

  @Test
  void theNextWindowStartsAtTheLatestPublicationEvenWhenItsLauncherClockWasBehind()
      throws Exception {
    DeltaSource source = new DeltaSource(sourceDb, "wl_seq_orders").create(300, List.of());
    DeltaLoad load =
        new DeltaLoad(
            dir,
            "wl_seq",
            source.table,
            sourceDb,
            targetDb,
            "{ mode: watermark, column: updated_at }",
            "merge");
    load.runOk();
    source.update(List.of(7L), "second", true);
    load.runOk();
    String latest = load.watermark();
    TestDatabases.execute(
        targetDb,
        "UPDATE metaload_publication SET recorded_at = recorded_at - INTERVAL '1 day' "
            + "WHERE load_name = 'wl_seq' AND watermark = '"
            + latest
            + "'");
    source.update(List.of(8L), "third", true);
    load.runOk();

    List<String> lows =
        TestDatabases.strings(
            targetDb,
            "SELECT window_low FROM metaload_publication WHERE load_name = 'wl_seq' ORDER BY seq");
    assertThat("the third window starts at the second's watermark", lows.get(2), equalTo(latest));
    TableComparison.assertSameRows(
        source.spec, source.expected, targetDb, source.table, DeltaSource.COLUMNS, "id");
  }
}

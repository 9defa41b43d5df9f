package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running load logs its progress from the protocol at the interval {@code --progress-every}
 * gives: held in the middle of its batches, it has already reported rows committed of the rows
 * planned, with percent, rate and batches; {@code status --watch} from another process follows it
 * to its end. On a terminal the same counts drive a live progress bar instead.
 */
class ProgressIT {
  @TempDir static Path dir;

  @Test
  void aRunLogsRowsCommittedOfRowsPlannedWhileItReads() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    SampleTables.postgres(source, "progress_orders", 60_000);
    KillableLoad load =
        new KillableLoad(
            dir,
            "progress",
            "progress_orders",
            source,
            TestDatabases.postgres("metaload_dst"),
            2_000);
    Path pauses = Files.createDirectories(dir.resolve("progress"));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve("progress.log"),
            MetaloadProcess.pauseAt("batch-committed", pauses, 5),
            load.run("--progress-every=200ms"))) {
      process.awaitPause(pauses, "batch-committed");
      process.awaitOutputMatching("progress run 1 load 'progress': [1-9]");
      String line =
          process
              .output()
              .lines()
              .filter(l -> l.contains("progress run 1 load 'progress'"))
              .reduce((a, b) -> b)
              .orElse("");
      assertThat(process.output(), line, containsString("of 60,000 rows ("));
      assertThat(
          line,
          matchesPattern(
              ".*: [1-9][0-9,]* of 60,000 rows \\([0-9.]+%\\), [0-9,]+ rows/s.*, [1-9][0-9]* batches"));
      try (MetaloadProcess watch =
          MetaloadProcess.start(
              dir.resolve("progress-watch.log"),
              Map.of(),
              "status",
              "--config",
              load.config.toString(),
              "--run",
              "1",
              "--watch",
              "--every",
              "200ms")) {
        watch.awaitOutput("progress run 1 load 'progress': ");
        MetaloadProcess.proceed(pauses, "batch-committed");
        assertThat(process.output(), process.await(), equalTo(0));
        assertThat(watch.output(), watch.await(), equalTo(0));
        assertThat(
            watch.output(),
            matchesPattern("(?s).*progress run 1 load 'progress': [1-9][0-9,]* of 60,000 rows.*"));
        assertThat(watch.output(), containsString("run 1 load 'progress': SUCCEEDED, 60,000 rows"));
      }
    }
    assertThat(TestDatabases.count(load.target, "progress_orders"), equalTo(60_000L));
  }

  @Test
  void onATerminalARunShowsALiveProgressBar() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    SampleTables.postgres(source, "progress_tty", 60_000);
    KillableLoad load =
        new KillableLoad(
            dir,
            "progress_tty",
            "progress_tty",
            source,
            TestDatabases.postgres("metaload_dst"),
            2_000);
    Path pauses = Files.createDirectories(dir.resolve("progress_tty"));
    try (MetaloadProcess process =
        MetaloadProcess.startOnTerminal(
            dir.resolve("progress_tty.log"),
            MetaloadProcess.pauseAt("batch-committed", pauses, 5),
            load.run())) {
      process.awaitPause(pauses, "batch-committed");
      process.awaitOutputMatching(
          "(?s)run 1 progress_tty +[1-9][0-9]?% \\[.*\\] +[1-9][0-9]*/60000 rows");
      String held = process.output();
      assertThat(
          held,
          matchesPattern(
              "(?s).*run 1 progress_tty +[1-9][0-9]?% \\[.*\\] +[1-9][0-9]*/60000 rows.*"));
      MetaloadProcess.proceed(pauses, "batch-committed");
      assertThat(process.output(), process.await(), equalTo(0));
      assertThat(process.output(), containsString("60000/60000 rows"));
      assertThat(
          process.output(),
          matchesPattern(
              "(?s).*60000/60000 rows .* rows/s [1-9][0-9]* batches, 1/1 partitions, 0 rejected.*"));
    }
    assertThat(TestDatabases.count(load.target, "progress_tty"), equalTo(60_000L));
  }
}

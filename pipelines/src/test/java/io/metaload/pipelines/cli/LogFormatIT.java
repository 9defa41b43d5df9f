package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --log-format json}: a real process logs one JSON object per line, with the message
 * formatted, for log shippers.
 */
class LogFormatIT {
  @TempDir Path dir;

  @Test
  void withJsonEveryLogLineIsOneJsonObjectWithLevelLoggerAndFormattedMessage() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    SampleTables.postgres(source, "log_orders", 5_000);
    KillableLoad load =
        new KillableLoad(
            dir, "log_orders", "log_orders", source, TestDatabases.postgres("metaload_dst"), 1_000);

    String output;
    int exit;
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve("run.log"),
            Map.of(),
            load.run("--runner=DirectRunner", "--log-format", "json"))) {
      exit = process.await();
      output = process.output();
    }

    assertThat(output, exit, equalTo(0));
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : output.split("\n")) {
      assertThat(
          "a text log line: " + line,
          line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO|WARN|ERROR) .*"),
          equalTo(false));
      if (line.startsWith("{")) {
        events.add(json.readTree(line));
      }
    }
    assertThat(events.size(), greaterThan(2));
    JsonNode published =
        events.stream()
            .filter(
                e ->
                    e.path("formattedMessage")
                        .asText()
                        .contains("validated and published 5000 rows"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no publication event in:\n" + output));
    assertThat(published.path("level").asText(), equalTo("INFO"));
    assertThat(published.path("loggerName").asText(), equalTo("io.metaload.pipelines.LoadRunner"));
    assertThat(published.path("timestamp").asLong(), greaterThan(0L));
    assertThat(output, containsString("load log_orders: SUCCEEDED, 5,000 rows"));
  }

  /**
   * Flink's start-up warnings (delegation tokens, {@code log.file}) are the runner's business,
   * shown only when asked for.
   */
  @Test
  void theRunnersOwnNoticesStayOffTheTerminalUnlessAskedFor() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    SampleTables.postgres(source, "log_quiet", 2_000);
    KillableLoad quiet =
        new KillableLoad(
            dir, "log_quiet", "log_quiet", source, TestDatabases.postgres("metaload_dst"), 1_000);
    KillableLoad asked =
        new KillableLoad(
            dir, "log_asked", "log_quiet", source, TestDatabases.postgres("metaload_dst"), 1_000);

    String byDefault = runToEnd(quiet.run("--runner=FlinkRunner"), "quiet.log");
    String withWarn =
        runToEnd(asked.run("--runner=FlinkRunner", "--runner-log", "warn"), "asked.log");

    for (String line : byDefault.split("\n")) {
      assertThat(
          "a runner's log line by default: " + line,
          line.matches(".* (WARN|INFO) org\\.apache\\.(flink|beam\\.runners)\\..*"),
          equalTo(false));
    }
    assertThat(byDefault, containsString("validated and published 2000 rows"));
    assertThat(
        "--runner-log warn brings Flink's warnings back",
        withWarn,
        containsString(" WARN org.apache.flink."));
  }

  private String runToEnd(String[] args, String log) throws Exception {
    try (MetaloadProcess process = MetaloadProcess.start(dir.resolve(log), Map.of(), args)) {
      int exit = process.await();
      assertThat(process.output(), exit, equalTo(0));
      return process.output();
    }
  }

  @Test
  void anUnknownRunnerLogLevelIsAUsageError() {
    CliRun run =
        CliRun.metaload(
            "status", "--config", dir.resolve("none.yaml").toString(), "--runner-log", "loud");
    assertThat(run.exitCode, equalTo(2));
    assertThat(
        run.err,
        containsString("--runner-log must be one of [error, warn, info, debug], not 'loud'"));
  }

  @Test
  void anUnknownLogFormatIsAUsageError() {
    CliRun run =
        CliRun.metaload(
            "status", "--config", dir.resolve("none.yaml").toString(), "--log-format", "xml");
    assertThat(run.exitCode, equalTo(2));
    assertThat(run.err, containsString("--log-format must be text or json, not 'xml'"));
  }
}

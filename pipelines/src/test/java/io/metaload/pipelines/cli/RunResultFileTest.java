package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --result-file} writes the outcome as JSON when the command ends: on success, on bad
 * usage and on a failed run.
 */
class RunResultFileTest {
  @TempDir Path dir;

  private final ConnectionSpec db = TestDatabases.h2("result_file_test");
  private H2Loads loads;

  @BeforeEach
  void defineLoads() throws Exception {
    TestDatabases.execute(
        db,
        "DROP TABLE IF EXISTS rf_src",
        "DROP TABLE IF EXISTS rf_dst",
        "DROP TABLE IF EXISTS rf_dup",
        "DROP TABLE IF EXISTS rf_dup_dst",
        "DROP TABLE IF EXISTS metaload_publication",
        "CREATE TABLE rf_src (id BIGINT PRIMARY KEY, changed TIMESTAMP(6) NOT NULL)",
        "INSERT INTO rf_src SELECT X, LOCALTIMESTAMP(6) - X * INTERVAL '1' SECOND FROM SYSTEM_RANGE(1, 700)",
        "CREATE TABLE rf_dup (id BIGINT NOT NULL, v INT)",
        "INSERT INTO rf_dup SELECT MOD(X, 50), X FROM SYSTEM_RANGE(1, 100)",
        "CREATE TABLE rf_dup_dst (id BIGINT PRIMARY KEY, v INT)");
    loads =
        new H2Loads(
            dir,
            db,
            "loads:\n"
                + "  - { name: rf, source: { connection: db, table: rf_src }, splitKey: id, batchSize: 100,\n"
                + "      delta: { mode: watermark, column: changed }, target: { connection: db, table: rf_dst, writeMode: merge } }\n"
                + "  - { name: rf_dup, source: { connection: db, table: rf_dup }, splitKey: id, batchSize: 30, target: { connection: db, table: rf_dup_dst } }\n");
  }

  @Test
  void aSucceededRunReportsItsRowsWindowWatermarkAndValidations() throws Exception {
    Path file = dir.resolve("result.json");
    CliRun run = loads.run("--load", "rf", "--result-file", file.toString());

    assertThat(run.err, run.exitCode, equalTo(0));
    JsonNode doc = new ObjectMapper().readTree(file.toFile());
    assertThat(doc.get("exitCode").asInt(), equalTo(0));
    assertThat(doc.get("status").asText(), equalTo("SUCCEEDED"));
    JsonNode r = doc.get("runs").get(0);
    assertThat(r.get("load").asText(), equalTo("rf"));
    assertThat(r.get("status").asText(), equalTo("SUCCEEDED"));
    assertThat(r.get("rows").asLong(), equalTo(700L));
    assertThat(r.get("window").get("kind").asText(), equalTo("INITIAL"));
    assertThat(
        "the fence is published as the watermark: " + r,
        r.get("watermark").isTextual(),
        equalTo(true));
    LocalDateTime watermark = LocalDateTime.parse(r.get("watermark").textValue());
    LocalDateTime newest = timestamp("SELECT MAX(changed) FROM rf_src");
    LocalDateTime after = timestamp("SELECT LOCALTIMESTAMP(6)");
    assertThat(
        "every seeded row (the newest " + newest + ") lies below watermark " + watermark,
        watermark.isAfter(newest),
        equalTo(true));
    assertThat(
        "watermark " + watermark + " is the source's clock during the run, not later than " + after,
        watermark.isAfter(after),
        equalTo(false));
    assertThat(r.get("validations").size(), greaterThan(0));
    assertThat("no --report-dir, no report", r.get("report").isNull(), equalTo(true));
  }

  /** The timestamp {@code sql} returns from the test database. */
  private LocalDateTime timestamp(String sql) {
    return LocalDateTime.parse(TestDatabases.strings(db, sql).get(0).replace(' ', 'T'));
  }

  @Test
  void badUsageIsReportedWithItsExitCodeAndNoRuns() throws Exception {
    Path file = dir.resolve("bad.json");
    CliRun run = loads.run("--load", "rf", "--param", "nope=1", "--result-file", file.toString());

    assertThat(run.exitCode, equalTo(2));
    JsonNode doc = new ObjectMapper().readTree(file.toFile());
    assertThat(doc.get("exitCode").asInt(), equalTo(2));
    assertThat(doc.get("error").get("message").asText(), containsString("unknown parameter nope"));
    assertThat(doc.get("runs").size(), equalTo(0));
  }

  @Test
  void aFailedRunIsReportedWithItsStatusAndMessage() throws Exception {
    Path file = dir.resolve("failed.json");
    Path reports = dir.resolve("reports");
    CliRun run =
        loads.run(
            "--load",
            "rf_dup",
            "--result-file",
            file.toString(),
            "--report-dir",
            reports.toString());

    assertThat(run.exitCode, equalTo(1));
    JsonNode doc = new ObjectMapper().readTree(file.toFile());
    assertThat(doc.get("exitCode").asInt(), equalTo(1));
    JsonNode r = doc.get("runs").get(0);
    assertThat(r.get("load").asText(), equalTo("rf_dup"));
    assertThat(r.get("status").asText(), equalTo("FAILED"));
    assertThat(r.get("message").asText(), containsString("resume"));
    Path report = reports.resolve("metaload-run-" + r.get("runId").asLong() + ".html");
    assertThat(
        "the failed run's report is written and named",
        r.get("report").asText(),
        equalTo(report.toAbsolutePath().toString()));
    assertThat(Files.readString(report), containsString("\"status\":\"FAILED\""));
  }
}

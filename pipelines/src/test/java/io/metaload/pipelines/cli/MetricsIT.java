package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TestDatabases;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --metrics-port} serves the run for Prometheus while it reads: scraped with the run
 * held after its fifth committed batch, it reports the phase, the rows planned, the rows and
 * batches the ledger holds and the SLA state; held before the swap, it reports every row read, the
 * bytes sent, and not as rejected the rows a flowgraph's filter drops; a port that is taken is
 * refused with exit code 2.
 */
class MetricsIT {
  @TempDir static Path dir;

  @Test
  void aRunServesItsPhaseAndCommittedRowsForPrometheusWhileItReads() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    SampleTables.postgres(source, "metrics_orders", 40_000);
    KillableLoad load =
        new KillableLoad(
            dir,
            "metrics",
            "metrics_orders",
            source,
            TestDatabases.postgres("metaload_dst"),
            2_000);
    load.redefine("sla: 1h");
    Path pauses = Files.createDirectories(dir.resolve("metrics"));
    int port = freePort();
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve("metrics.log"),
            MetaloadProcess.pauseAt("batch-committed", pauses, 5),
            load.run("--metrics-port=" + port, "--runner=DirectRunner"))) {
      process.awaitPause(pauses, "batch-committed");
      String page = scrape(port);

      assertThat(page, value(page, "metaload_run_phase", "phase=\"reading\""), equalTo(1.0));
      assertThat(page, value(page, "metaload_rows_planned", ""), equalTo(40_000.0));
      assertThat(page, value(page, "metaload_batches_committed", ""), greaterThanOrEqualTo(5.0));
      assertThat(
          page,
          value(page, "metaload_rows_committed", ""),
          both(greaterThanOrEqualTo(10_000.0)).and(lessThanOrEqualTo(40_000.0)));
      assertThat(
          page,
          value(page, "metaload_rows_read", ""),
          both(greaterThanOrEqualTo(10_000.0)).and(lessThanOrEqualTo(40_000.0)));
      assertThat(
          "nothing is rejected by the identity flowgraph",
          value(page, "metaload_rows_rejected", ""),
          equalTo(0.0));
      assertThat(page, value(page, "metaload_retries", ""), equalTo(0.0));
      assertThat(page, value(page, "metaload_run_elapsed_seconds", ""), greaterThanOrEqualTo(0.0));
      assertThat("an SLA of 1h is met so far", value(page, "metaload_sla_state", ""), equalTo(0.0));

      MetaloadProcess.proceed(pauses, "batch-committed");
      assertThat(process.output(), process.await(), equalTo(0));
    }
    assertThat(TestDatabases.count(load.target, "metrics_orders"), equalTo(40_000L));
  }

  @Test
  void rowsAFilterDropsAreNotCountedAsRejected() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    SampleTables.postgres(source, "metrics_fg", 40_000);
    KillableLoad load =
        new KillableLoad(
            dir, "metrics_fg", "metrics_fg", source, TestDatabases.postgres("metaload_dst"), 2_000);
    Path flowgraph = dir.resolve("metrics_fg-flowgraph.yaml");
    Files.writeString(
        flowgraph,
        "flowgraphs:\n  - name: metrics_fg_steps\n    steps:\n      - filter: \"id % 10 != 0\"\n"
            + "      - require: { column: ship_date, notNull: true }\n");
    CliRun imported =
        CliRun.metaload(
            "metadata", "import", "--config", load.config.toString(), flowgraph.toString());
    assertThat(imported.err, imported.exitCode, equalTo(0));
    load.redefine("flowgraph: metrics_fg_steps, maxRejects: 10000");
    Path pauses = Files.createDirectories(dir.resolve("metrics_fg"));
    int port = freePort();
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve("metrics_fg.log"),
            MetaloadProcess.pauseAt("before-swap", pauses, 0),
            load.run("--metrics-port=" + port, "--runner=DirectRunner"))) {
      process.awaitPause(pauses, "before-swap");
      String run = "load=\"metrics_fg\"";
      String page =
          scrapeUntil(
              port, p -> sample(p, "metaload_rows_read", run) == 40_000.0, "every source row read");

      assertThat(page, value(page, "metaload_rows_read", run), equalTo(40_000.0));
      assertThat(
          "a NULL ship_date (every 7th id) is rejected unless the filter (every 10th id) dropped the row first",
          value(page, "metaload_rows_rejected", run),
          equalTo(5_714.0 - 571));
      assertThat(
          page, value(page, "metaload_rows_committed", run), equalTo(40_000.0 - 4_000 - 5_143));
      assertThat(
          "COPY bytes sent to PostgreSQL, from the protocol (complete once the pipeline has finished)",
          value(page, "metaload_bytes_written", run),
          greaterThanOrEqualTo((40_000.0 - 4_000 - 5_143) * 40));

      MetaloadProcess.proceed(pauses, "before-swap");
      assertThat(process.output(), process.await(), equalTo(0));
    }
    assertThat(TestDatabases.count(load.target, "metrics_fg"), equalTo(30_857L));
  }

  @Test
  void aDeltaRunServesHowFarItsWatermarkIsBehindNow() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    SampleTables.postgres(source, "metrics_delta", 20_000);
    KillableLoad load =
        new KillableLoad(
            dir,
            "metrics_delta",
            "metrics_delta",
            source,
            TestDatabases.postgres("metaload_dst"),
            2_000);
    Path loads = dir.resolve("metrics_delta-watermark.yaml");
    Files.writeString(
        loads,
        "loads:\n  - { name: metrics_delta, source: { connection: src, table: metrics_delta }, splitKey: id, "
            + "batchSize: 2000, delta: { mode: watermark, column: created_at }, "
            + "target: { connection: dst, table: metrics_delta, writeMode: merge } }\n");
    CliRun imported =
        CliRun.metaload("metadata", "import", "--config", load.config.toString(), loads.toString());
    assertThat(imported.err, imported.exitCode, equalTo(0));
    Path pauses = Files.createDirectories(dir.resolve("metrics_delta"));
    int port = freePort();
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve("metrics_delta.log"),
            MetaloadProcess.pauseAt("batch-committed", pauses, 2),
            load.run("--metrics-port=" + port, "--runner=DirectRunner"))) {
      process.awaitPause(pauses, "batch-committed");
      String page = scrape(port);

      double lag = value(page, "metaload_watermark_lag_seconds", "load=\"metrics_delta\"");
      assertThat(
          "the first run's watermark is the fence, taken moments ago: " + page,
          lag,
          greaterThanOrEqualTo(-5.0));
      assertThat(page, lag, org.hamcrest.Matchers.lessThan(300.0));

      MetaloadProcess.proceed(pauses, "batch-committed");
      assertThat(process.output(), process.await(), equalTo(0));
    }
  }

  @Test
  void aPortThatIsTakenIsABadUsage() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      CliRun run =
          CliRun.metaload(
              "run",
              "--config",
              KillableLoad.writeConfig(
                      dir,
                      "metrics_port",
                      TestDatabases.h2("metrics_port_meta"),
                      TestDatabases.h2("metrics_port_src"),
                      TestDatabases.h2("metrics_port_dst"))
                  .toString(),
              "--load",
              "none",
              "--metrics-port=" + taken.getLocalPort());
      assertThat(run.err, run.exitCode, equalTo(2));
      assertThat(
          run.err,
          run.err.contains(
              "--metrics-port " + taken.getLocalPort() + ": cannot serve metrics there"),
          equalTo(true));
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Scrapes until {@code ready} holds for the page (the endpoint reads the ledger at most every two
   * seconds), for up to two minutes; fails with the last page.
   */
  private static String scrapeUntil(int port, Predicate<String> ready, String what)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    String page = scrape(port);
    while (!ready.test(page)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the endpoint did not serve " + what + " within two minutes; the last page:\n" + page);
      }
      Thread.sleep(200);
      page = scrape(port);
    }
    return page;
  }

  private static String scrape(int port) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode(), equalTo(200));
    return response.body();
  }

  /**
   * As {@link #sample}, failing with the page when it serves no such sample or its value is not a
   * finite number.
   */
  private static double value(String page, String name, String label) {
    double value = sample(page, name, label);
    assertThat(
        name + " {" + label + "} is served as a number: " + page,
        Double.isFinite(value),
        equalTo(true));
    return value;
  }

  /**
   * The value of the sample of {@code name} for run 1 of load 'metrics' (unless {@code label} names
   * the load) whose labels contain {@code label}; NaN when the page has none.
   */
  private static double sample(String page, String name, String label) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(page);
    while (m.find()) {
      String labels = m.group(1);
      boolean load = label.contains("load=") || labels.contains("load=\"metrics\"");
      if (load && labels.contains("run=\"1\"") && labels.contains(label)) {
        return Double.parseDouble(m.group(2));
      }
    }
    return Double.NaN;
  }
}

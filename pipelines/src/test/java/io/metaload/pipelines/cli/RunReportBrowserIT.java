package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TestDatabases;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metaload report} for a real run (PostgreSQL, five list partitions), opened in headless
 * Chromium: the page's script draws every plot and raises no error. Chromium is Debian's {@code
 * chromium} package, which {@code .ci/run} installs when it is missing; without it the test fails,
 * unless {@code -Dmetaload.requireBrowser=false} makes it a skip.
 */
class RunReportBrowserIT {
  private static final String CHROMIUM =
      System.getProperty("metaload.chromium", "/usr/bin/chromium");
  private static final int PLOTS = 8;

  @TempDir static Path dir;
  static KillableLoad load;
  static long runId;

  @BeforeAll
  static void loadOnce() throws Exception {
    if (!new File(CHROMIUM).canExecute()) {
      String why =
          CHROMIUM
              + " is missing: install Debian's chromium package (apt-get install chromium), as .ci/run does";
      org.junit.jupiter.api.Assumptions.assumeTrue(
          Boolean.getBoolean("metaload.requireBrowser"),
          why + " (skipped: metaload.requireBrowser=false)");
      throw new AssertionError(why + ", or skip this test with -Dmetaload.requireBrowser=false");
    }
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    SampleTables.postgres(source, "report_orders", 100_000);
    load =
        new KillableLoad(
            dir,
            "report_orders",
            "report_orders",
            source,
            TestDatabases.postgres("metaload_dst"),
            2_500);
    load.redefine(
        "partitioning: { strategy: list, column: country, values: [DE, FR, US, JP, BR] }");
    CliRun run = CliRun.metaload(load.run("--runner=DirectRunner"));
    assertThat(run.err, run.exitCode, equalTo(0));
    runId = load.runs().get(0).runId;
  }

  @Test
  void theReportOfARunDrawsEveryPlotInABrowserWithoutScriptErrors() throws Exception {
    Path html = dir.resolve("report.html");
    CliRun report =
        CliRun.metaload(
            "report",
            "--config",
            load.config.toString(),
            "--run",
            Long.toString(runId),
            "-o",
            html.toString());
    assertThat(report.err, report.exitCode, equalTo(0));
    assertThat(report.out, containsString("wrote " + html));

    String dom = chromium("--dump-dom", html.toUri().toString());

    assertThat(dom, containsString("data-ready=\"true\""));
    assertThat("script errors", attribute(dom, "data-errors"), equalTo(""));
    assertThat("plots drawn", attribute(dom, "data-plots"), equalTo(Integer.toString(PLOTS)));
    assertThat("uPlot canvases", count(dom, "<canvas"), greaterThanOrEqualTo(PLOTS));
    assertThat(dom, containsString("Run " + runId + " of load report_orders"));
    assertThat(dom, containsString("100,000 of 100,000"));
    assertThat("the partitions are listed", dom, containsString("JP"));
    assertThat("validations listed", dom, containsString("passed"));
    assertThat("no rejects", dom, containsString("no rows were rejected"));

    Path png = dir.resolve("report.png");
    chromium("--screenshot=" + png, "--window-size=1280,1800", html.toUri().toString());
    assertThat("screenshot bytes", Files.size(png), greaterThan(20_000L));
  }

  @Test
  void anUnknownRunIsAUsageError() {
    CliRun report =
        CliRun.metaload(
            "report",
            "--config",
            load.config.toString(),
            "--run",
            "987654",
            "-o",
            dir.resolve("x.html").toString());
    assertThat(report.exitCode, equalTo(2));
    assertThat(report.err, containsString("no run with id 987654"));
  }

  private static String chromium(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"),
                "--virtual-time-budget=10000"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).redirectError(dir.resolve("chromium.log").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not end");
    }
    assertThat(
        "chromium exit: " + Files.readString(dir.resolve("chromium.log")),
        p.exitValue(),
        equalTo(0));
    return out;
  }

  private static String attribute(String dom, String name) {
    Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(dom);
    return m.find() ? m.group(1) : null;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}

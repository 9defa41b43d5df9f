package io.metaload.pipelines.cli;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.pipelines.report.HtmlReport;
import io.metaload.pipelines.report.RunHistory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code metaload report}: one run as a self-contained HTML file with plots. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Writes one run as a self-contained HTML file (no network needed to open it): rows/s over time, rows and duration "
            + "per partition, rows per read unit and per worker, batch durations, retries, rejects, validations and the timeline.")
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(
      names = "--run",
      required = true,
      paramLabel = "<id>",
      description = "The run to report (also while it runs).")
  long runId;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "<file>",
      description = "The HTML file to write (default: metaload-run-<id>.html).")
  Path output;

  @Override
  public Integer call() {
    Path file = output == null ? Path.of("metaload-run-" + runId + ".html") : output;
    try (MetadataStore store = MetadataStore.open(config.load().metadata())) {
      HtmlReport.write(RunHistory.load(store, runId), file);
    } catch (IOException e) {
      throw new MetaloadException(
              ExitCode.BAD_USAGE, "cannot write the report to " + file + ": " + e.getMessage(), e)
          .withRun(runId);
    }
    spec.commandLine().getOut().println("wrote " + file.toAbsolutePath());
    return 0;
  }
}

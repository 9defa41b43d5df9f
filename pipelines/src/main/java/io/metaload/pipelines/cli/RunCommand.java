package io.metaload.pipelines.cli;

import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.Durations;
import io.metaload.metadata.model.RunParameters;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.pipelines.LoadRunner;
import io.metaload.pipelines.RunReport;
import io.metaload.pipelines.metrics.MetricsEndpoint;
import io.metaload.pipelines.report.HtmlReport;
import io.metaload.pipelines.report.RunHistory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code metaload run}: plans, loads, validates and publishes one or more loads. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs loads: plan, read in keyset batches, write to staging, validate counts, publish.",
      "Other options are Beam pipeline options, e.g. --runner=DirectRunner or --parallelism=4;",
      "the default runner is Flink on an embedded local cluster."
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(
      names = {"-l", "--load"},
      required = true,
      paramLabel = "<name>",
      description = "A load to run; repeat for several.")
  List<String> loads;

  @Option(
      names = "--resume",
      description =
          "Continue the newest unfinished run of the load instead of starting a new one; "
              + "committed batches are not read again.")
  boolean resume;

  @Option(names = "--run", paramLabel = "<id>", description = "With --resume: the run to continue.")
  Long runId;

  @Option(
      names = "--auto-resume",
      description =
          "Continue the load's unfinished run if it has one, otherwise start a new run. "
              + "For orchestrators that retry a failed task by running the same command again.")
  boolean autoResume;

  @Option(
      names = "--param",
      paramLabel = "<name=value>",
      description =
          "A value for $${param.<name>} in the loads' definitions "
              + "(partition values and boundaries); repeat for several. Stored with the run and shown by status.")
  List<String> params;

  @Option(
      names = "--result-file",
      paramLabel = "<file>",
      description =
          "Write a JSON document with the outcome (exit code, error, "
              + "and per run status, rows, window, watermark and validations) when the command ends, also when it fails.")
  Path resultFile;

  @Option(
      names = "--progress-every",
      paramLabel = "<duration>",
      defaultValue = "30s",
      description =
          "How often to log each run's "
              + "progress (rows, percent, rows/s, time left) while it reads, e.g. 10s or 1m; 0s for never. Default: ${DEFAULT-VALUE}.")
  String progressEvery;

  @Option(
      names = "--metrics-port",
      paramLabel = "<port>",
      description =
          "Serve the runs' phase, rows planned and committed, batches "
              + "and elapsed seconds for Prometheus at http://<address>:<port>/metrics while the command runs (default: off).")
  Integer metricsPort;

  @Option(
      names = "--metrics-bind",
      paramLabel = "<address>",
      defaultValue = "127.0.0.1",
      description =
          "The address --metrics-port "
              + "listens on: a host name or IP address of this machine, 0.0.0.0 for every interface. Default: ${DEFAULT-VALUE}, this machine "
              + "only.")
  String metricsBind;

  @Option(
      names = "--report-dir",
      paramLabel = "<dir>",
      description =
          "Write each run's HTML report (as 'metaload report' does) to "
              + "<dir>/metaload-run-<id>.html when the command ends, also when it fails; the result file names it.")
  Path reportDir;

  @Unmatched List<String> beamArgs;

  @Override
  public Integer call() {
    RunResultFile result = resultFile == null ? null : new RunResultFile(resultFile);
    MetaloadConfig cfg = null;
    try {
      cfg = config.load();
      List<RunReport> reports = runLoads(cfg, result);
      Map<Long, Path> html =
          writeReports(cfg, reports.stream().map(RunReport::runId).collect(Collectors.toList()));
      if (result != null) {
        result.withReports(html);
        result.succeeded(cfg, reports);
      }
      PrintWriter out = spec.commandLine().getOut();
      for (RunReport r : reports) {
        out.println(summary(r));
      }
      out.flush();
      return 0;
    } catch (MetaloadException e) {
      Map<Long, Path> html = cfg == null ? Map.of() : writeReports(cfg, RunResultFile.runIdsOf(e));
      if (result != null) {
        result.withReports(html);
        result.failed(cfg, e);
      }
      throw e;
    } catch (RuntimeException e) {
      if (result != null) {
        result.failed(
            cfg, new MetaloadException(ExitCode.LOAD_FAILED, String.valueOf(e.getMessage()), e));
      }
      throw e;
    }
  }

  private List<RunReport> runLoads(MetaloadConfig cfg, RunResultFile result) {
    if (runId != null && !resume) {
      throw MetaloadException.badConfig("--run is only used with --resume");
    }
    if (autoResume && (resume || runId != null)) {
      throw MetaloadException.badConfig(
          "--auto-resume decides by itself; do not combine it with --resume or --run");
    }
    LoadRunner.Resume mode =
        autoResume
            ? LoadRunner.Resume.auto()
            : resume ? LoadRunner.Resume.latestOr(runId) : LoadRunner.Resume.no();
    Duration every;
    try {
      every = Durations.parse(progressEvery);
    } catch (IllegalArgumentException e) {
      throw MetaloadException.badConfig("--progress-every: " + e.getMessage());
    }
    MetaloadConfig loaded = cfg;
    LoadRunner runner =
        new LoadRunner(cfg)
            .progressEvery(every)
            .stoppingOnMissedSla(failure -> stop(loaded, result, failure));
    if (BeamArgs.embeddedDefault(beamArgs)) {
      runner = runner.smallRunsInProcess(LoadRunner.SMALL_RUN_ROWS);
    }
    if (metricsPort != null && (metricsPort < 1 || metricsPort > 65_535)) {
      throw MetaloadException.badConfig(
          "--metrics-port must be from 1 to 65535, was " + metricsPort);
    }
    Supplier<org.apache.beam.sdk.options.PipelineOptions> options =
        BeamArgs.parseInBackground(beamArgs);
    RunParameters parameters = RunParameters.parse(params);
    if (metricsPort == null) {
      return runner.run(loads, options, mode, parameters);
    }
    try (MetricsEndpoint metrics = MetricsEndpoint.start(metricsBind, metricsPort)) {
      return runner.reportingTo(metrics).run(loads, options, mode, parameters);
    }
  }

  /**
   * With {@code --report-dir}, each run's HTML report; a report that cannot be written is logged,
   * never fails the command.
   */
  private Map<Long, Path> writeReports(MetaloadConfig cfg, Collection<Long> runIds) {
    Map<Long, Path> written = new LinkedHashMap<>();
    if (reportDir == null || runIds.isEmpty()) {
      return written;
    }
    try (MetadataStore store = MetadataStore.open(cfg.metadata())) {
      Files.createDirectories(reportDir);
      for (long runId : runIds) {
        Path file = reportDir.resolve("metaload-run-" + runId + ".html");
        HtmlReport.write(RunHistory.load(store, runId), file);
        written.put(runId, file);
      }
    } catch (IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(RunCommand.class)
          .error("writing the run reports to {} failed: {}", reportDir, e.getMessage());
    }
    return written;
  }

  /**
   * Ends the process for a run that missed its SLA with {@code slaAction: fail}: the runs are
   * already marked FAILED; the result file and the error line are written as for any failure.
   */
  private void stop(MetaloadConfig cfg, RunResultFile result, MetaloadException failure) {
    if (result != null) {
      result.failed(cfg, failure);
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println("metaload: " + failure.getMessage());
    err.println(ErrorReport.json(failure));
    err.flush();
    System.exit(failure.exitCode().code());
  }

  /** The summary line of a run; a resumed run's rate counts only the rows this attempt loaded. */
  static String summary(RunReport r) {
    String head =
        String.format(
            "run %d load %s: SUCCEEDED, %,d rows, %d partition(s), %d batches",
            r.runId(), r.loadName(), r.rows(), r.partitions(), r.batches());
    if (r.attempt() == 1 && r.carriedRows() == 0) {
      return head + String.format(", %.1f s, %,.0f rows/s", r.seconds(), r.rowsPerSecond());
    }
    return head
        + String.format(
            "; attempt %d loaded %,d rows in %.1f s (%,.0f rows/s), %,d rows carried over from earlier attempts",
            r.attempt(), r.rowsThisAttempt(), r.seconds(), r.rowsPerSecond(), r.carriedRows());
  }
}

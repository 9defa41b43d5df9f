package io.metaload.pipelines.cli;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.flowgraph.FlowgraphDefinition;
import io.metaload.metadata.model.Durations;
import io.metaload.metadata.model.RunParameters;
import io.metaload.metadata.plan.DeltaWindow;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.ReadUnitLog;
import io.metaload.metadata.store.RunContext;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunStatus;
import io.metaload.pipelines.RunProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code metaload status}: runs, partitions and batch progress from the protocol tables. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Shows recent runs, or one run's partitions and batch progress; works while a run is in progress.")
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(names = "--run", paramLabel = "<id>", description = "Show this run's partitions.")
  Long runId;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "How many recent runs to list (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--watch",
      description =
          "With --run: print the run's progress every --every until it ends, then its status.")
  boolean watch;

  @Option(
      names = "--every",
      paramLabel = "<duration>",
      defaultValue = "5s",
      description = "How often --watch prints (default: ${DEFAULT-VALUE}).")
  String every;

  @Override
  public Integer call() {
    if (watch) {
      return watch();
    }
    PrintWriter out = spec.commandLine().getOut();
    try (MetadataStore store = MetadataStore.open(config.load().metadata())) {
      List<RunQueries.RunSummary> runs = store.status().runs(runId, runId == null ? limit : 1);
      if (runId != null && runs.isEmpty()) {
        throw MetaloadException.badConfig("no run with id " + runId);
      }
      out.printf(
          "%-6s %-24s %-10s %-12s %14s %14s %8s %9s  %s%n",
          "RUN",
          "LOAD",
          "STATUS",
          "RUNNER",
          "SOURCE ROWS",
          "WRITTEN",
          "BATCHES",
          "SECONDS",
          "STARTED");
      for (RunQueries.RunSummary r : runs) {
        Instant end = r.endedAt == null ? Instant.now() : r.endedAt;
        out.printf(
            "%-6d %-24s %-10s %-12s %,14d %,14d %8d %9.1f  %s%n",
            r.runId,
            r.loadName,
            r.status,
            r.runner,
            r.sourceRows,
            r.batchRows,
            r.batches,
            Duration.between(r.startedAt, end).toMillis() / 1000.0,
            r.startedAt);
      }
      if (runId != null) {
        RunQueries.RunSummary r = runs.get(0);
        out.printf(
            "attempt %d; carried over from earlier attempts: %d batches, %,d rows; read by this attempt: %,d rows; "
                + "transient errors retried: %d; last heartbeat %s%n",
            r.attempt,
            r.carriedBatches,
            r.carriedRows,
            r.rowsReadThisAttempt,
            r.retries,
            r.heartbeatAt);
        if (r.params != null) {
          out.println("parameters: " + RunParameters.fromJson(r.params));
        }
        if (r.message != null) {
          out.println("message: " + r.message);
        }
        RunContext context = store.runs().context(runId);
        FlowgraphDefinition flowgraph = context.plan().flowgraph().definition();
        if (!flowgraph.isIdentity()) {
          out.printf(
              "flowgraph: %s version %d, %d step(s): %s%n",
              flowgraph.name(),
              flowgraph.version(),
              flowgraph.steps().size(),
              flowgraph.steps().stream().map(s -> s.name()).collect(Collectors.joining(", ")));
        }
        if (context.plan().definition().sla() != null) {
          String state = store.runs().slaState(runId);
          out.println(
              "SLA: "
                  + context.plan().definition().sla()
                  + ", "
                  + (state == null
                      ? "met so far"
                      : state.equals("AT_RISK") ? "at risk (80% used)" : "missed"));
        }
        DeltaWindow window = context.plan().window();
        if (window != null) {
          out.println(
              "window: "
                  + window.describe()
                  + "; fence from the "
                  + window.fenceBasis()
                  + "; watermark published with it: "
                  + (window.publishedWatermark() == null ? "none" : window.publishedWatermark())
                  + "; the load's watermark now: "
                  + store.watermarks().watermark(r.loadName).orElse("none"));
        }
        List<ReadUnitLog.UnitSummary> units = store.readUnits().units(runId);
        if (!units.isEmpty()) {
          long total = units.stream().mapToLong(u -> u.rowsRead).sum();
          out.printf(
              "read units: %d, rows per unit: largest %,d, mean %,.0f, imbalance %.2f (largest / mean)%n",
              units.size(),
              units.stream().mapToLong(u -> u.rowsRead).max().orElse(0),
              (double) total / units.size(),
              ReadUnitLog.imbalance(units));
          units.stream()
              .sorted((a, b) -> Double.compare(b.seconds, a.seconds))
              .limit(3)
              .forEach(
                  u ->
                      out.printf(
                          "  slowest: partition %d unit %d, positions [%d, %d), %,d rows (%,d estimated), %.1f s%n",
                          u.partitionId,
                          u.unitIndex,
                          u.keyFrom,
                          u.keyTo,
                          u.rowsRead,
                          u.estimatedRows,
                          u.seconds));
        }
        out.printf(
            "%n%-5s %-10s %14s %14s %8s %6s  %s%n",
            "PART", "STATUS", "SOURCE ROWS", "WRITTEN", "BATCHES", "UNITS", "PREDICATE");
        for (RunQueries.PartitionSummary p : store.status().partitions(runId)) {
          out.printf(
              "%-5d %-10s %,14d %,14d %8d %6d  %s%n",
              p.partitionId,
              p.status,
              p.sourceRows,
              p.rowsWritten,
              p.batches,
              p.readUnits,
              p.description);
        }
        List<String> reasons = store.batches().topRejectReasons(runId, 10);
        if (!reasons.isEmpty()) {
          out.printf(
              "%nrejected rows by step and reason (all of them in load_reject, run_id = %d):%n",
              runId);
          reasons.forEach(reason -> out.println("  " + reason));
        }
      }
    }
    out.flush();
    return 0;
  }

  /**
   * Prints the run's progress from its ledger in the target (the protocol reaches the metadata
   * store only when a bundle ends) until the run is no longer RUNNING, then its final status.
   */
  private int watch() {
    if (runId == null) {
      throw MetaloadException.badConfig("--watch follows one run: give --run <id>");
    }
    Duration interval;
    try {
      interval = Durations.parse(every);
    } catch (IllegalArgumentException e) {
      throw MetaloadException.badConfig("--every: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    MetaloadConfig cfg = config.load();
    try (MetadataStore store = MetadataStore.open(cfg.metadata())) {
      RunContext run = store.runs().context(runId);
      ConnectionSpec target = cfg.connection(run.plan().definition().targetConnection());
      long started = System.nanoTime();
      Long firstRows = null;
      while (true) {
        RunQueries.RunSummary s =
            store.status().runs(runId, 1).stream()
                .findFirst()
                .orElseThrow(() -> MetaloadException.badConfig("no run with id " + runId));
        if (s.status != RunStatus.RUNNING) {
          out.printf(
              "run %d load '%s': %s, %,d rows%s%n",
              s.runId,
              s.loadName,
              s.status,
              s.rowsWritten == null ? s.batchRows : s.rowsWritten,
              s.message == null ? "" : "; " + s.message);
          out.flush();
          return 0;
        }
        long[] committed = RunProgress.committed(target, run);
        long[] counts = committed == null ? new long[] {s.batches, s.batchRows} : committed;
        firstRows = firstRows == null ? counts[1] : firstRows;
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = seconds > 0 ? (counts[1] - firstRows) / seconds : 0;
        out.println(RunProgress.line(runId, s.loadName, s.sourceRows, counts[1], counts[0], rate));
        out.flush();
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return 0;
        }
      }
    }
  }
}

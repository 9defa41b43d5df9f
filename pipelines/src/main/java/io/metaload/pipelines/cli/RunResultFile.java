package io.metaload.pipelines.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.plan.DeltaWindow;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.ValidationLog;
import io.metaload.pipelines.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON document {@code run --result-file F} writes when the command ends, whether it succeeded
 * or not: the exit code, the error if any, and for every run it touched its status, rows, window
 * and watermark, and validations, read back from the metadata store. The file is replaced
 * atomically, so an orchestrator never reads half of it.
 *
 * <pre>{@code
 * {"format":1,"exitCode":0,"status":"SUCCEEDED","seconds":8.1,"error":null,
 *  "runs":[{"runId":12,"load":"orders_daily","status":"SUCCEEDED","rows":50211,
 *           "window":{"kind":"INCREMENTAL","low":"...","high":"..."},"watermark":"...","validations":[...],
 *           "report":"/var/reports/metaload-run-12.html"}]}
 * }</pre>
 */
final class RunResultFile {
  static final int FORMAT = 1;
  private static final Logger LOG = LoggerFactory.getLogger(RunResultFile.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;
  private final Instant started = Instant.now();
  private Map<Long, Path> reports = Map.of();

  RunResultFile(Path file) {
    this.file = file;
  }

  void succeeded(MetaloadConfig config, List<RunReport> reports) {
    Set<Long> runIds = new LinkedHashSet<>();
    reports.forEach(r -> runIds.add(r.runId()));
    write(config, 0, null, runIds, reports);
  }

  void failed(MetaloadConfig config, MetaloadException e) {
    write(config, e.exitCode().code(), e, runIdsOf(e), List.of());
  }

  /** Adds the HTML report written for each run ({@code run --report-dir}) to the document. */
  void withReports(Map<Long, Path> reports) {
    this.reports = Map.copyOf(reports);
  }

  /** The runs a failure names: its own and those of the failures it gathers. */
  static Set<Long> runIdsOf(MetaloadException e) {
    Set<Long> runIds = new LinkedHashSet<>();
    addRun(runIds, e);
    e.failures().forEach(f -> addRun(runIds, f));
    return runIds;
  }

  private static void addRun(Set<Long> runIds, MetaloadException e) {
    Object run = e.context().get("run");
    if (run instanceof Number) {
      runIds.add(((Number) run).longValue());
    }
  }

  private void write(
      MetaloadConfig config,
      int exitCode,
      MetaloadException error,
      Set<Long> runIds,
      List<RunReport> reports) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("format", FORMAT);
    doc.put("exitCode", exitCode);
    doc.put("status", exitCode == 0 ? "SUCCEEDED" : "FAILED");
    doc.put("startedAt", started.toString());
    doc.put("endedAt", Instant.now().toString());
    doc.put("seconds", Duration.between(started, Instant.now()).toMillis() / 1000.0);
    if (error == null) {
      doc.putNull("error");
    } else {
      doc.set("error", readTree(ErrorReport.json(error)));
    }
    ArrayNode runs = doc.putArray("runs");
    if (config != null && !runIds.isEmpty()) {
      try (MetadataStore store = MetadataStore.open(config.metadata())) {
        for (long runId : runIds) {
          ObjectNode run = run(store, runId, reports);
          Path report = this.reports.get(runId);
          run.put("report", report == null ? null : report.toAbsolutePath().toString());
          runs.add(run);
        }
      } catch (RuntimeException e) {
        doc.put("runsUnavailable", "the metadata store could not be read: " + e.getMessage());
      }
    }
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), doc);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.error("writing the result file {} failed: {}", file, e.getMessage());
    }
  }

  private static ObjectNode run(MetadataStore store, long runId, List<RunReport> reports) {
    ObjectNode n = JSON.createObjectNode();
    RunQueries.RunSummary s = store.status().runs(runId, 1).stream().findFirst().orElse(null);
    n.put("runId", runId);
    if (s == null) {
      return n;
    }
    n.put("load", s.loadName);
    n.put("status", s.status.name());
    n.put("attempt", s.attempt);
    n.put("resumed", s.attempt > 1);
    n.put("runner", s.runner);
    n.put("sourceRows", s.sourceRows);
    if (s.rowsWritten == null) {
      n.putNull("rows");
    } else {
      n.put("rows", s.rowsWritten);
    }
    n.put("carriedRows", s.carriedRows);
    n.put("batches", s.batches);
    n.put("retries", s.retries);
    if (s.bytes == null) {
      n.putNull("bytes");
    } else {
      n.put("bytes", s.bytes);
    }
    n.put("startedAt", s.startedAt == null ? null : s.startedAt.toString());
    n.put("endedAt", s.endedAt == null ? null : s.endedAt.toString());
    n.put("message", s.message);
    n.put("params", s.params);
    reports.stream()
        .filter(r -> r.runId() == runId)
        .findFirst()
        .ifPresent(r -> n.put("seconds", r.seconds()).put("partitions", r.partitions()));
    DeltaWindow w = store.runs().context(runId).plan().window();
    if (w == null) {
      n.putNull("window");
      n.putNull("watermark");
    } else {
      n.putObject("window")
          .put("kind", w.kind().name())
          .put("column", w.column())
          .put("low", w.lowLiteral())
          .put("high", w.highLiteral())
          .put("timeZone", w.timeZone());
      n.put("watermark", w.publishedWatermark());
      if (w.kind() == DeltaWindow.Kind.BACKFILL && s.attempt > 1) {
        n.put(
            "note",
            "this command resumed a backfill ("
                + w.describe()
                + "), not the load's regular window");
      }
    }
    ArrayNode checks = n.putArray("validations");
    for (ValidationLog.ValidationSummary v : store.validations().validations(runId)) {
      checks
          .addObject()
          .put("partition", v.partitionId)
          .put("check", v.check)
          .put("expected", v.expected)
          .put("actual", v.actual)
          .put("passed", v.passed);
    }
    return n;
  }

  private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}

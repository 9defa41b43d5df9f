package io.metaload.pipelines.metrics;

import io.metaload.metadata.error.MetaloadException;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Serves the command's runs at {@code http://<host>:<port>/metrics} in the Prometheus text format
 * while the command runs: each run's phase, rows planned, rows and batches committed (from the
 * run's ledger in the target, so every worker's commits count at once, read at most every two
 * seconds however often it is scraped) and elapsed seconds.
 *
 * <pre>{@code
 * try (MetricsEndpoint metrics = MetricsEndpoint.start(9464)) {
 *   metrics.track(runId, "orders", plannedRows, () -> ledgerCounts());
 *   metrics.phase(runId, MetricsEndpoint.Phase.READING);
 * }
 * }</pre>
 *
 * <p>Metrics: {@code metaload_run_phase{load,run,phase}} (1 for the run's current phase), {@code
 * metaload_rows_planned}, {@code metaload_rows_committed}, {@code metaload_rows_read}, {@code
 * metaload_rows_rejected}, {@code metaload_batches_committed}, {@code metaload_retries}, {@code
 * metaload_bytes_written}, {@code metaload_run_elapsed_seconds}, for a delta run {@code
 * metaload_watermark_lag_seconds}, and, for a load with an SLA, {@code metaload_sla_state} (0 met
 * so far, 1 at risk, 2 missed), each labelled {@code load} and {@code run}.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final long LEDGER_EVERY_NANOS = 2_000_000_000L;

  /** Where a run is. */
  public enum Phase {
    READING,
    PUBLISHING,
    SUCCEEDED,
    FAILED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final HTTPServer server;
  private final Map<Long, Tracked> runs = new ConcurrentHashMap<>();

  private MetricsEndpoint(HTTPServer server) {
    this.server = server;
  }

  /** An endpoint that serves nothing, for commands without {@code --metrics-port}. */
  public static MetricsEndpoint none() {
    return new MetricsEndpoint(null);
  }

  /** Starts serving on {@code port} of this machine only (127.0.0.1). */
  public static MetricsEndpoint start(int port) {
    return start("127.0.0.1", port);
  }

  /**
   * Starts serving on {@code port} of the address {@code bind} ({@code 0.0.0.0} for every
   * interface), or refuses with exit code 2 naming both.
   */
  public static MetricsEndpoint start(String bind, int port) {
    PrometheusRegistry registry = new PrometheusRegistry();
    MetricsEndpoint endpoint;
    try {
      endpoint =
          new MetricsEndpoint(
              HTTPServer.builder()
                  .inetAddress(InetAddress.getByName(bind))
                  .port(port)
                  .registry(registry)
                  .buildAndStart());
    } catch (IOException e) {
      throw MetaloadException.badConfig(
          "--metrics-bind "
              + bind
              + " --metrics-port "
              + port
              + ": cannot serve metrics there: "
              + e.getMessage());
    }
    endpoint.register(registry);
    return endpoint;
  }

  /** The port served on, or -1 when serving nothing. */
  public int port() {
    return server == null ? -1 : server.getPort();
  }

  /**
   * Starts reporting a run; {@code committed} gives {@code {batches, rows written, rows read,
   * partitions done, rows rejected}}, or null before the run's ledger exists.
   */
  public void track(long runId, String load, long plannedRows, Supplier<long[]> committed) {
    runs.put(runId, new Tracked(load, plannedRows, committed));
  }

  /**
   * Reports a delta run's watermark lag too: seconds from {@code windowEnd}, the upper bound of its
   * window (the watermark it publishes), to now; how far behind the source the target will be.
   */
  public void trackWatermark(long runId, Instant windowEnd) {
    Tracked t = runs.get(runId);
    if (t != null) {
      t.windowEnd = windowEnd;
    }
  }

  /**
   * Reports what the protocol records of a run's batches too: {@code protocol} gives the transient
   * errors they retried and the bytes they sent to the target ({@code {retries, bytes}}, bytes -1
   * when not measured).
   */
  public void trackProtocol(long runId, Supplier<long[]> protocol) {
    Tracked t = runs.get(runId);
    if (t != null) {
      t.protocol = new Throttled<>(protocol, new long[] {0, -1});
    }
  }

  /**
   * Reports a run's SLA state too: {@code slaState} gives null (met so far), {@code AT_RISK} or
   * {@code MISSED}.
   */
  public void trackSla(long runId, Supplier<String> slaState) {
    Tracked t = runs.get(runId);
    if (t != null) {
      t.sla =
          new Throttled<>(
              () -> {
                String state = slaState.get();
                return "MISSED".equals(state) ? 2 : "AT_RISK".equals(state) ? 1 : 0;
              },
              0);
    }
  }

  public void phase(long runId, Phase phase) {
    Tracked t = runs.get(runId);
    if (t != null) {
      t.phase = phase;
    }
  }

  private void register(PrometheusRegistry registry) {
    GaugeWithCallback.builder()
        .name("metaload_run_phase")
        .help("1 for the run's current phase")
        .labelNames("load", "run", "phase")
        .callback(
            cb -> runs.forEach((id, t) -> cb.call(1, t.load, Long.toString(id), t.phase.label())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("metaload_rows_planned")
        .help("Source rows the run's plan counted")
        .labelNames("load", "run")
        .callback(cb -> runs.forEach((id, t) -> cb.call(t.planned, t.load, Long.toString(id))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("metaload_rows_committed")
        .help("Rows committed to staging, from the run's ledger")
        .labelNames("load", "run")
        .callback(cb -> runs.forEach((id, t) -> cb.call(t.counts()[1], t.load, Long.toString(id))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("metaload_rows_read")
        .help("Source rows read by the committed batches, from the run's ledger")
        .labelNames("load", "run")
        .callback(cb -> runs.forEach((id, t) -> cb.call(t.counts()[2], t.load, Long.toString(id))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("metaload_rows_rejected")
        .help(
            "Rows rejected by a flowgraph step or refused by the target (not rows a filter dropped), from the protocol")
        .labelNames("load", "run")
        .callback(cb -> runs.forEach((id, t) -> cb.call(t.counts()[4], t.load, Long.toString(id))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("metaload_retries")
        .help("Transient errors retried by the run's recorded batches, from the protocol")
        .labelNames("load", "run")
        .callback(
            cb ->
                runs.forEach(
                    (id, t) -> {
                      if (t.protocol != null) {
                        cb.call(t.protocol.get()[0], t.load, Long.toString(id));
                      }
                    }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("metaload_bytes_written")
        .help(
            "Bytes of row data the run's recorded batches sent to the target "
                + "(COPY into PostgreSQL; absent for INSERT targets), from the protocol")
        .labelNames("load", "run")
        .callback(
            cb ->
                runs.forEach(
                    (id, t) -> {
                      if (t.protocol != null && t.protocol.get()[1] >= 0) {
                        cb.call(t.protocol.get()[1], t.load, Long.toString(id));
                      }
                    }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("metaload_watermark_lag_seconds")
        .help(
            "For a delta run on a date or timestamp column: seconds "
                + "from the upper bound of its window (the watermark it publishes) to now")
        .labelNames("load", "run")
        .callback(
            cb ->
                runs.forEach(
                    (id, t) -> {
                      if (t.windowEnd != null) {
                        cb.call(
                            (System.currentTimeMillis() - t.windowEnd.toEpochMilli()) / 1000.0,
                            t.load,
                            Long.toString(id));
                      }
                    }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("metaload_batches_committed")
        .help("Batches committed to staging, from the run's ledger")
        .labelNames("load", "run")
        .callback(cb -> runs.forEach((id, t) -> cb.call(t.counts()[0], t.load, Long.toString(id))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("metaload_sla_state")
        .help("For a load with an SLA: 0 met so far, 1 at risk (80% used), 2 missed")
        .labelNames("load", "run")
        .callback(
            cb ->
                runs.forEach(
                    (id, t) -> {
                      if (t.sla != null) {
                        cb.call(t.sla.get(), t.load, Long.toString(id));
                      }
                    }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("metaload_run_elapsed_seconds")
        .help("Seconds since this command started the run")
        .labelNames("load", "run")
        .callback(
            cb ->
                runs.forEach(
                    (id, t) ->
                        cb.call((System.nanoTime() - t.started) / 1e9, t.load, Long.toString(id))))
        .register(registry);
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * One run's labels, counts and phase; each source is read again only when its last read is two
   * seconds old.
   */
  private static final class Tracked {
    final String load;
    final long planned;
    final long started = System.nanoTime();
    volatile Phase phase = Phase.READING;
    volatile Instant windowEnd;

    /** The ledger is read while the run reads or publishes; once published it is gone. */
    final Throttled<long[]> counts;

    volatile Throttled<long[]> protocol;
    volatile Throttled<Integer> sla;

    Tracked(String load, long planned, Supplier<long[]> committed) {
      this.load = load;
      this.planned = planned;
      this.counts =
          new Throttled<>(
              () -> phase == Phase.READING || phase == Phase.PUBLISHING ? committed.get() : null,
              new long[] {0, 0, 0, 0, 0});
    }

    long[] counts() {
      return counts.get();
    }
  }

  /**
   * The last value a source gave, read again at most every two seconds however often it is scraped;
   * a failed read or a null keeps the last value (a database briefly unreachable, a ledger dropped
   * after publication).
   */
  private static final class Throttled<T> {
    private final Supplier<T> source;
    private T last;
    private long readAt;

    Throttled(Supplier<T> source, T initial) {
      this.source = source;
      this.last = initial;
    }

    synchronized T get() {
      long now = System.nanoTime();
      if (readAt == 0 || now - readAt > LEDGER_EVERY_NANOS) {
        readAt = now;
        try {
          T read = source.get();
          if (read != null) {
            last = read;
          }
        } catch (RuntimeException e) {
          // keep the last value
        }
      }
      return last;
    }
  }
}

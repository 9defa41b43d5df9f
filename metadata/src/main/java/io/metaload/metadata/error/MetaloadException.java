package io.metaload.metadata.error;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A failure that carries the exit code it maps to and the context it happened in (run, load,
 * partition, batch). Messages never contain secrets.
 *
 * <pre>{@code
 * throw MetaloadException.badConfig("loads.yaml: load 'orders': field 'splitKey' is missing")
 *     .withLoad("orders");
 * }</pre>
 */
public class MetaloadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;
  private final Map<String, Object> context = new LinkedHashMap<>();
  private final List<MetaloadException> failures = new ArrayList<>();

  public MetaloadException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public MetaloadException(ExitCode exitCode, String message) {
    this(exitCode, message, null);
  }

  public static MetaloadException badConfig(String message) {
    return new MetaloadException(ExitCode.BAD_USAGE, message);
  }

  public static MetaloadException badConfig(String message, Throwable cause) {
    return new MetaloadException(ExitCode.BAD_USAGE, message, cause);
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  /** Context keys in insertion order: run, load, partition, batch. */
  public Map<String, Object> context() {
    return context;
  }

  public MetaloadException withRun(long runId) {
    context.put("run", runId);
    return this;
  }

  public MetaloadException withLoad(String load) {
    context.put("load", load);
    return this;
  }

  public MetaloadException withPartition(int partition) {
    context.put("partition", partition);
    return this;
  }

  /** Records one of several failures this one reports (e.g. each load that failed in finalize). */
  public MetaloadException alsoFailed(MetaloadException failure) {
    failures.add(failure);
    return this;
  }

  /** The failures this one reports besides itself; empty for a single failure. */
  public List<MetaloadException> failures() {
    return failures;
  }

  public MetaloadException withBatch(String batch) {
    context.put("batch", batch);
    return this;
  }
}

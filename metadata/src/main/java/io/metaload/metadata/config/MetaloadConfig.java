package io.metaload.metadata.config;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.error.MetaloadException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parsed config file: the metadata store connection and the named connections that load
 * definitions refer to. Built by {@link ConfigLoader}.
 */
@AutoValue
public abstract class MetaloadConfig {
  public abstract Path file();

  public abstract ConnectionSpec metadata();

  public abstract Map<String, ConnectionSpec> connections();

  public abstract RetryPolicy retry();

  /**
   * How long one publication attempt waits for the target's table locks (readers hold them) before
   * it gives up and, within {@link #retry()}, tries again.
   */
  public abstract long publishLockTimeoutMillis();

  public static final long DEFAULT_PUBLISH_LOCK_TIMEOUT_MILLIS = 30_000;

  public static MetaloadConfig of(
      Path file, ConnectionSpec metadata, Map<String, ConnectionSpec> connections) {
    return of(file, metadata, connections, RetryPolicy.defaults());
  }

  public static MetaloadConfig of(
      Path file,
      ConnectionSpec metadata,
      Map<String, ConnectionSpec> connections,
      RetryPolicy retry) {
    return of(file, metadata, connections, retry, DEFAULT_PUBLISH_LOCK_TIMEOUT_MILLIS);
  }

  public static MetaloadConfig of(
      Path file,
      ConnectionSpec metadata,
      Map<String, ConnectionSpec> connections,
      RetryPolicy retry,
      long publishLockTimeoutMillis) {
    return new AutoValue_MetaloadConfig(
        file,
        metadata,
        Collections.unmodifiableMap(new LinkedHashMap<>(connections)),
        retry,
        publishLockTimeoutMillis);
  }

  /** The named connection, or a bad-config error naming the file and the known names. */
  public ConnectionSpec connection(String name) {
    ConnectionSpec spec = connections().get(name);
    if (spec == null) {
      throw MetaloadException.badConfig(
          file() + ": no connection named '" + name + "' (known: " + connections().keySet() + ")");
    }
    return spec;
  }
}

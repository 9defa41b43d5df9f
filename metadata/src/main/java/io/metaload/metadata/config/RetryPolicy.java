package io.metaload.metadata.config;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.error.MetaloadException;
import java.io.Serializable;

/**
 * How often and how patiently transient database errors are retried: bounded exponential backoff
 * from {@link #initialBackoffMillis()} doubling up to {@link #maxBackoffMillis()}, at most {@link
 * #maxAttempts()} attempts in all. Set in the config file's {@code retry:} section.
 */
@AutoValue
public abstract class RetryPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract int maxAttempts();

  public abstract long initialBackoffMillis();

  public abstract long maxBackoffMillis();

  public static RetryPolicy defaults() {
    return of(5, 500, 30_000);
  }

  public static RetryPolicy of(int maxAttempts, long initialBackoffMillis, long maxBackoffMillis) {
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw MetaloadException.badConfig(
          "retry.maxAttempts must be between 1 and 100, was " + maxAttempts);
    }
    if (initialBackoffMillis < 0 || maxBackoffMillis < initialBackoffMillis) {
      throw MetaloadException.badConfig(
          "retry backoff must satisfy 0 <= initialBackoffMillis <= maxBackoffMillis, was "
              + initialBackoffMillis
              + " and "
              + maxBackoffMillis);
    }
    return new AutoValue_RetryPolicy(maxAttempts, initialBackoffMillis, maxBackoffMillis);
  }

  /** Backoff before attempt {@code attempt} (2 is the first retry). */
  public long backoffMillis(int attempt) {
    long backoff = initialBackoffMillis();
    for (int i = 2; i < attempt && backoff < maxBackoffMillis(); i++) {
      backoff *= 2;
    }
    return Math.min(backoff, maxBackoffMillis());
  }
}

package io.metaload.transforms.retry;

import io.metaload.metadata.config.RetryPolicy;
import io.metaload.metadata.error.SqlErrors;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unit of database work, retrying transient failures (connection loss, a terminated session,
 * serialization failures, deadlocks) with bounded exponential backoff. Permanent failures, and the
 * last transient one, are rethrown unchanged.
 */
public final class TransientRetry {
  private static final Logger LOG = LoggerFactory.getLogger(TransientRetry.class);

  private final RetryPolicy policy;
  private int retries;

  public TransientRetry(RetryPolicy policy) {
    this.policy = policy;
  }

  /** Work that may fail with an {@link SQLException}. */
  public interface Work<T> {
    T run() throws SQLException;
  }

  /**
   * @param reset called after a transient failure, before the wait: drop broken connections
   * @param what names the work in log lines
   */
  public <T> T run(String what, Work<T> work, Runnable reset) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return work.run();
      } catch (SQLException e) {
        if (attempt >= policy.maxAttempts() || !SqlErrors.isTransient(e)) {
          throw e;
        }
        reset.run();
        long backoff = policy.backoffMillis(attempt + 1);
        retries++;
        LOG.warn(
            "{}: transient failure (attempt {} of {}), retrying in {} ms: {} [SQLState {}]",
            what,
            attempt,
            policy.maxAttempts(),
            backoff,
            e.getMessage(),
            e.getSQLState());
        sleep(backoff);
      }
    }
  }

  /** Retries so far, for the protocol. */
  public int retries() {
    return retries;
  }

  private static void sleep(long millis) throws SQLException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting to retry", e);
    }
  }
}

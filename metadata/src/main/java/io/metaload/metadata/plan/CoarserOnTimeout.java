package io.metaload.metadata.plan;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Savepoint;
import java.util.List;

/**
 * Runs a planning pass that only refines a plan (the quantiles that balance read units, the tuple
 * ids that cut a table read in heap order), or a check with a safe answer (a resume's check that a
 * heap-ordered table did not change): when the source stops it for running past the connection's
 * {@code queryTimeout}, the caller takes a coarser plan (or the safe answer) instead of failing and
 * says so in the warnings, which the run logs and {@code validate} prints. On a connection inside a
 * transaction (the run's snapshot) the pass runs under a savepoint, so the transaction and the
 * snapshot it exported stay usable after the cancellation.
 *
 * <pre>{@code
 * List<Long> cuts = CoarserOnTimeout.run(c, "the quantile pass over orders", "units are cut evenly",
 *     () -> quantiles(...), List::of, warnings);
 * }</pre>
 */
public final class CoarserOnTimeout {
  private CoarserOnTimeout() {}

  /** A planning query, or the coarser plan's. */
  public interface Pass<T> {
    T run() throws SQLException;
  }

  /**
   * True for a statement the database stopped for its time limit (PostgreSQL and H2 57014, MariaDB
   * 70100/1969, a JDBC timeout).
   */
  static boolean isTimeout(SQLException e) {
    return e instanceof SQLTimeoutException
        || "57014".equals(e.getSQLState())
        || "70100".equals(e.getSQLState())
        || e.getErrorCode() == 1969;
  }

  public static <T> T run(
      Connection c,
      String pass,
      String coarser,
      Pass<T> refined,
      Pass<T> fallback,
      List<String> warnings)
      throws SQLException {
    Savepoint savepoint = c.getAutoCommit() ? null : c.setSavepoint();
    try {
      T out = refined.run();
      if (savepoint != null) {
        c.releaseSavepoint(savepoint);
      }
      return out;
    } catch (SQLException e) {
      if (!isTimeout(e)) {
        throw e;
      }
      if (savepoint != null) {
        c.rollback(savepoint);
      }
      warnings.add(
          pass
              + " was stopped by the source ("
              + e.getMessage().trim()
              + "), so "
              + coarser
              + "; a longer queryTimeout on the source connection lets it finish");
      return fallback.run();
    }
  }
}

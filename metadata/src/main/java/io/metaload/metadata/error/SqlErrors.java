package io.metaload.metadata.error;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;

/** Classifies JDBC failures into exit codes by SQLState, so every caller maps them alike. */
public final class SqlErrors {
  private SqlErrors() {}

  /** True for failures to reach or log in to a database (SQLState classes 08 and 28). */
  public static boolean isConnectionFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException) {
        String state = ((SQLException) c).getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("28"))) {
          return true;
        }
      }
      if (c instanceof ConnectException || c instanceof UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  /**
   * True for failures that a new attempt may not meet: connection loss or reset, the server ending
   * the session (e.g. {@code pg_terminate_backend}), serialization failures and deadlocks. A login
   * refused (SQLState class 28) is not transient.
   */
  public static boolean isTransient(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException) {
        String state = ((SQLException) c).getSQLState();
        if (state != null
            && (state.startsWith("08")
                || state.equals("40001")
                || state.equals("40P01")
                || state.startsWith("57P")
                || state.equals("53300")
                || state.equals("HY000") && isConnectionMessage(c))) {
          return true;
        }
      }
      if (c instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /**
   * MariaDB error codes for values a column refuses: NULL in NOT NULL, too long, out of range, bad
   * string, bad date.
   */
  private static final Set<Integer> MARIADB_DATA_ERRORS =
      Set.of(1048, 1406, 1264, 1366, 1292, 1265, 1367);

  /**
   * Whether the target refused a value rather than failing as a database: SQLState class 22 (data
   * exception: too long, out of range, bad encoding or date), 23502 (NULL in a NOT NULL column),
   * 23514 (check constraint), or MariaDB's codes for the same. Such a failure is the row's, and
   * retrying the same row cannot help.
   */
  public static boolean isDataError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      for (SQLException e = c instanceof SQLException ? (SQLException) c : null;
          e != null;
          e = e.getNextException()) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("22")
            || state.equals("23502")
            || state.equals("23514")
            || MARIADB_DATA_ERRORS.contains(e.getErrorCode())) {
          return true;
        }
        if (e.getNextException() == e) {
          break;
        }
      }
    }
    return false;
  }

  private static boolean isConnectionMessage(Throwable t) {
    String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
    return m.contains("connection")
        && (m.contains("closed") || m.contains("reset") || m.contains("lost"));
  }

  /**
   * Wraps a JDBC failure with a message naming what was attempted; connection and login failures
   * map to {@link ExitCode#DATABASE_UNREACHABLE}, anything else to {@code other}.
   */
  public static MetaloadException wrap(String what, SQLException e, ExitCode other) {
    ExitCode code = isConnectionFailure(e) ? ExitCode.DATABASE_UNREACHABLE : other;
    String state = e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]";
    return new MetaloadException(code, what + ": " + e.getMessage() + state, e);
  }
}

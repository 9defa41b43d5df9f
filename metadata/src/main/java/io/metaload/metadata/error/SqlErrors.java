package io.metaload.metadata.error;

import java.sql.SQLException;

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
      if (c instanceof java.net.ConnectException || c instanceof java.net.UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  /**
   * True for failures that a new attempt may not meet: connection loss or reset, the server
   * ending the session (e.g. {@code pg_terminate_backend}), serialization failures and
   * deadlocks. A login refused (SQLState class 28) is not transient.
   */
  public static boolean isTransient(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException) {
        String state = ((SQLException) c).getSQLState();
        if (state != null && (state.startsWith("08") || state.equals("40001") || state.equals("40P01")
            || state.startsWith("57P") || state.equals("53300") || state.equals("HY000") && isConnectionMessage(c))) {
          return true;
        }
      }
      if (c instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  private static boolean isConnectionMessage(Throwable t) {
    String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
    return m.contains("connection") && (m.contains("closed") || m.contains("reset") || m.contains("lost"));
  }

  /**
   * Wraps a JDBC failure with a message naming what was attempted; connection and login
   * failures map to {@link ExitCode#DATABASE_UNREACHABLE}, anything else to {@code other}.
   */
  public static MetaloadException wrap(String what, SQLException e, ExitCode other) {
    ExitCode code = isConnectionFailure(e) ? ExitCode.DATABASE_UNREACHABLE : other;
    String state = e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]";
    return new MetaloadException(code, what + ": " + e.getMessage() + state, e);
  }
}

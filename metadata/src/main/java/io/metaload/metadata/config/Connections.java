package io.metaload.metadata.config;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens metaload's own connections to the databases of a config (for planning, validation,
 * publication and the metadata of a run), mapping failures to exit codes the same way everywhere.
 *
 * <pre>{@code
 * try (Connection c = Connections.open(config.connection("crm"), "source")) { ... }
 * }</pre>
 */
public final class Connections {
  private Connections() {}

  /**
   * Opens a connection for planning, validation or publication; failures to connect or log in map
   * to exit code 3. A source connection's queries are stopped past its {@code queryTimeout}, so
   * planning never waits without end.
   */
  public static Connection open(ConnectionSpec spec, String role) {
    return open(spec, role, null);
  }

  /**
   * As {@link #open(ConnectionSpec, String)}, with the session labelled {@code "metaload " + label}
   * where the database can show it.
   */
  public static Connection open(ConnectionSpec spec, String role, String label) {
    Connection c;
    try {
      c = spec.open(label);
    } catch (SQLException e) {
      throw SqlErrors.wrap(
          "cannot connect to " + role + " " + spec.describe(), e, ExitCode.DATABASE_UNREACHABLE);
    }
    if (role.equals("source")) {
      try {
        Dialect.forUrl(spec.url()).limitStatementTime(c, spec.queryTimeoutSeconds());
      } catch (SQLException e) {
        try {
          c.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw SqlErrors.wrap(
            "setting the query timeout of source " + spec.describe(), e, ExitCode.LOAD_FAILED);
      }
    }
    return c;
  }
}

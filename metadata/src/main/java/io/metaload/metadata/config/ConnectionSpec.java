package io.metaload.metadata.config;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.dialect.Dialect;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How to reach one database: JDBC URL, user and password. The password is the config file's {@code
 * ${env:NAME}} or {@code ${file:PATH}} reference ({@link Secret}): it is never printed ({@link
 * #toString()} and {@link #describe()} leave it out) and never serialized, so a worker that
 * receives this spec resolves the reference from its own environment.
 */
@AutoValue
public abstract class ConnectionSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract String name();

  public abstract String url();

  public abstract String user();

  /** The password's source: a reference resolved where the connection is opened, or a literal. */
  public abstract Secret passwordSecret();

  /** The password, resolved in this process. */
  public String password() {
    return passwordSecret().value();
  }

  /**
   * The most connections metaload's readers may hold on this database at once ({@code
   * maxConnections} in the config file); 0 means no limit beyond the pipeline's parallelism.
   */
  public abstract int maxConnections();

  /**
   * How long one of metaload's read queries may run on this database ({@code queryTimeout}), in
   * seconds.
   */
  public abstract int queryTimeoutSeconds();

  /**
   * The kind of target this connection reaches ({@code kind} in the config file): {@value #JDBC} (a
   * relational database reached by its JDBC URL) unless a target plug-in names another. Sources are
   * always JDBC.
   */
  public abstract String kind();

  /**
   * Settings a target kind reads beyond the URL ({@code options} in the config file), such as a
   * lake target's warehouse or file-system credentials; each value is a literal or an {@code
   * ${env:NAME}}/{@code ${file:PATH}} reference, which like the password is resolved in each
   * process and never serialized.
   */
  public abstract Map<String, Secret> options();

  /** The value of option {@code name} resolved in this process, if the connection sets it. */
  public Optional<String> option(String name) {
    Secret value = options().get(name);
    return value == null ? Optional.empty() : Optional.of(value.value());
  }

  /** The kind of every connection that does not name one. */
  public static final String JDBC = "jdbc";

  /** Read queries time out after an hour unless the config file says otherwise. */
  public static final int DEFAULT_QUERY_TIMEOUT_SECONDS = 3600;

  /**
   * A connection with a password given in code (serialized with the spec; the config file only
   * allows references).
   */
  public static ConnectionSpec of(String name, String url, String user, String password) {
    return of(name, url, user, Secret.literal(password));
  }

  public static ConnectionSpec of(String name, String url, String user, Secret password) {
    return new AutoValue_ConnectionSpec(
        name,
        url,
        user == null ? "" : user,
        password == null ? Secret.none() : password,
        0,
        DEFAULT_QUERY_TIMEOUT_SECONDS,
        JDBC,
        Map.of());
  }

  /** The same database with a reader connection budget (0: none). */
  public ConnectionSpec withMaxConnections(int max) {
    return new AutoValue_ConnectionSpec(
        name(), url(), user(), passwordSecret(), max, queryTimeoutSeconds(), kind(), options());
  }

  /** The same database with another read query timeout. */
  public ConnectionSpec withQueryTimeoutSeconds(int seconds) {
    return new AutoValue_ConnectionSpec(
        name(), url(), user(), passwordSecret(), maxConnections(), seconds, kind(), options());
  }

  /** The same connection, of another target kind. */
  public ConnectionSpec withKind(String kind) {
    return new AutoValue_ConnectionSpec(
        name(),
        url(),
        user(),
        passwordSecret(),
        maxConnections(),
        queryTimeoutSeconds(),
        kind,
        options());
  }

  /** The same connection with {@code options} (see {@link #options()}). */
  public ConnectionSpec withOptions(Map<String, Secret> options) {
    return new AutoValue_ConnectionSpec(
        name(),
        url(),
        user(),
        passwordSecret(),
        maxConnections(),
        queryTimeoutSeconds(),
        kind(),
        Map.copyOf(options));
  }

  /** Opens a new connection; the caller closes it. */
  public Connection open() throws SQLException {
    return open(null);
  }

  /**
   * Opens a new connection that the database lists under {@code "metaload " + role} (PostgreSQL
   * {@code application_name}, MariaDB's {@code program_name} attribute), e.g. {@code metaload
   * reader}, so a DBA can tell metaload's sessions apart; null: the driver's default name.
   */
  public Connection open(String role) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user());
    props.setProperty("password", password());
    if (role != null) {
      Dialect.forUrl(url()).labelSessions(props, "metaload " + role);
    }
    DriverManager.setLoginTimeout(15);
    return DriverManager.getConnection(url(), props);
  }

  /** Name, URL and user, for logs and messages. */
  public String describe() {
    return "'" + name() + "' (" + JdbcUrls.mask(url()) + ", user " + user() + ")";
  }

  @Override
  public final String toString() {
    return "ConnectionSpec{" + describe() + "}";
  }
}

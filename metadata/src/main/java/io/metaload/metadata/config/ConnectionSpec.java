package io.metaload.metadata.config;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * How to reach one database: JDBC URL, user and password. The password is resolved from the
 * config file's {@code ${env:NAME}} reference and never printed: {@link #toString()} and
 * {@link #describe()} leave it out.
 */
@AutoValue
public abstract class ConnectionSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract String name();

  public abstract String url();

  public abstract String user();

  public abstract String password();

  public static ConnectionSpec of(String name, String url, String user, String password) {
    return new AutoValue_ConnectionSpec(name, url, user == null ? "" : user, password == null ? "" : password);
  }

  /** Opens a new connection; the caller closes it. */
  public Connection open() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user());
    props.setProperty("password", password());
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

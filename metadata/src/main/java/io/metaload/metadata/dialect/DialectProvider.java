package io.metaload.metadata.dialect;

/**
 * Makes a database kind known to metaload: registered in {@code
 * META-INF/services/io.metaload.metadata.dialect.DialectProvider}, it claims the JDBC URLs of its
 * database and creates the {@link Dialect} that answers every question metaload asks of it. A new
 * source or target database is one provider, one dialect and its driver on the class path.
 *
 * <pre>{@code
 * public final class OracleDialectProvider implements DialectProvider {
 *   public String urlPrefix() { return "jdbc:oracle:"; }
 *   public Dialect create() { return new OracleDialect(); }
 * }
 * }</pre>
 */
public interface DialectProvider {
  /** The start of every JDBC URL this provider's database takes, e.g. {@code jdbc:postgresql:}. */
  String urlPrefix();

  /** A new dialect; dialects hold no connection and may be shared. */
  Dialect create();
}

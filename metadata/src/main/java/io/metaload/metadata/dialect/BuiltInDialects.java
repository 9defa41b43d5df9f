package io.metaload.metadata.dialect;

/** The databases metaload ships with, each registered as a {@link DialectProvider}. */
final class BuiltInDialects {
  private BuiltInDialects() {}

  /** PostgreSQL 12 and later. */
  public static final class Postgres implements DialectProvider {
    @Override
    public String urlPrefix() {
      return "jdbc:postgresql:";
    }

    @Override
    public Dialect create() {
      return new PostgresDialect();
    }
  }

  /** MariaDB 10.6 and later through MariaDB Connector/J. */
  public static final class MariaDb implements DialectProvider {
    @Override
    public String urlPrefix() {
      return "jdbc:mariadb:";
    }

    @Override
    public Dialect create() {
      return new MariaDbDialect();
    }
  }

  /** H2 2.x, embedded, file or TCP. */
  public static final class H2 implements DialectProvider {
    @Override
    public String urlPrefix() {
      return "jdbc:h2:";
    }

    @Override
    public Dialect create() {
      return new H2Dialect();
    }
  }
}

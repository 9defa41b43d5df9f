package io.metaload.metadata.dialect;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Properties;

/** MariaDB and MySQL: multi-row batched inserts, one atomic {@code RENAME TABLE} for the swap. */
public final class MariaDbDialect extends Dialect {
  @Override
  protected CatalogReader catalogReader() {
    return new MariaDbCatalogReader(this);
  }

  private final MariaDbTargetSql target = new MariaDbTargetSql(this);

  @Override
  public TargetSql target() {
    return target;
  }

  private static final long serialVersionUID = 1L;

  @Override
  public FenceQueries fenceQueries() {
    return new MariaDbFenceQueries();
  }

  @Override
  public String name() {
    return "mariadb";
  }

  @Override
  public String quote(String identifier) {
    return '`' + identifier.replace("`", "``") + '`';
  }

  @Override
  public Optional<String> explainRows(String select) {
    return Optional.of("EXPLAIN " + select);
  }

  /**
   * The first row's {@code rows} (rows examined), times its {@code filtered} share where EXPLAIN
   * gives one.
   */
  @Override
  public long explainedRows(ResultSet explained) throws SQLException {
    if (!explained.next()) {
      throw new SQLException("EXPLAIN returned nothing");
    }
    double filtered = 100;
    ResultSetMetaData columns = explained.getMetaData();
    for (int i = 1; i <= columns.getColumnCount(); i++) {
      if ("filtered".equalsIgnoreCase(columns.getColumnLabel(i))
          && explained.getObject(i) != null) {
        filtered = explained.getDouble(i);
      }
    }
    return (long) Math.ceil(explained.getLong("rows") * filtered / 100);
  }

  @Override
  protected String foldCase(String identifier) {
    return identifier;
  }

  @Override
  public String sqlType(Column c) {
    switch (c.type()) {
      case BIGINT:
        return "bigint";
      case INTEGER:
        return "int";
      case SMALLINT:
        return c.typeName().equals("year") ? "year" : "smallint";
      case DECIMAL:
        return c.size() > 0 && c.size() <= 65
            ? "decimal(" + c.size() + "," + Math.min(c.scale(), 30) + ")"
            : "decimal(65,30)";
      case DOUBLE:
        return "double";
      case REAL:
        return "float";
      case BOOLEAN:
        return "boolean";
      case STRING:
        if (c.size() <= 0 || c.size() > 16_000) {
          return "longtext";
        }
        return (c.fixedLength() ? "char(" : "varchar(") + c.size() + ")";
      case UUID:
        return "char(36)";
      case JSON:
        return "longtext";
      case TIME:
        return "time(6)";
      case TEXT_FORM:
        return "longtext";
      case DATE:
        return "date";
      case TIMESTAMP:
        return "datetime(6)";
      case TIMESTAMP_TZ:
        return "datetime(6)";
      default:
        return "longblob";
    }
  }

  @Override
  public String driverClass() {
    return "org.mariadb.jdbc.Driver";
  }

  @Override
  public void labelSessions(Properties connectionProperties, String label) {
    connectionProperties.setProperty("connectionAttributes", "program_name:" + label);
  }

  /** MariaDB has no timestamp with a zone: instants are stored as their UTC local time. */
  @Override
  public Object instantParameter(OffsetDateTime value) {
    return value.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
  }

  /** Neither MariaDB's {@code double} nor its {@code decimal} holds NaN or an infinity. */
  @Override
  public boolean holdsNonFinite(ColumnType type) {
    return false;
  }

  @Override
  public String timestampType(int fractionDigits) {
    return "DATETIME(" + fractionDigits + ")";
  }

  @Override
  public String binaryType() {
    return "LONGBLOB";
  }

  @Override
  public int streamingFetchSize(int requested) {
    return requested;
  }

  /** The table's name, with {@code PARTITION (p)} for a partition of it. */
  @Override
  public String qualified(TableRef table) {
    if (table.partition() == null) {
      return super.qualified(table);
    }
    return super.qualified(TableRef.of(table.schema(), table.table()))
        + " PARTITION ("
        + quote(table.partition())
        + ")";
  }

  @Override
  public void limitStatementTime(Connection connection, int seconds) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SET SESSION max_statement_time = " + seconds);
    }
  }
}

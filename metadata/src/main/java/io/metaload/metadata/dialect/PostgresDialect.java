package io.metaload.metadata.dialect;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.JdbcTypes;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PostgreSQL: COPY for bulk loads, transactional DDL for the swap. */
public final class PostgresDialect extends Dialect {
  @Override
  protected CatalogReader catalogReader() {
    return new PostgresCatalogReader(this);
  }

  private final PostgresTargetSql target = new PostgresTargetSql(this);

  @Override
  public TargetSql target() {
    return target;
  }

  private static final long serialVersionUID = 1L;

  @Override
  public FenceQueries fenceQueries() {
    return new PostgresFenceQueries(this);
  }

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  protected String foldCase(String identifier) {
    return identifier.toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean supportsCopy() {
    return true;
  }

  @Override
  public String driverClass() {
    return "org.postgresql.Driver";
  }

  @Override
  public void labelSessions(Properties connectionProperties, String label) {
    connectionProperties.setProperty("ApplicationName", label);
  }

  @Override
  public Optional<SharedSnapshots> sharedSnapshots() {
    return Optional.of(new PostgresSnapshots());
  }

  @Override
  public boolean readsInHeapOrder() {
    return true;
  }

  @Override
  public Optional<String> pageSample(double percent) {
    return Optional.of(
        " TABLESAMPLE SYSTEM (" + String.format(Locale.ROOT, "%.6f", percent) + ") REPEATABLE (1)");
  }

  @Override
  public boolean readsBinaryCopy() {
    return true;
  }

  /** {@code numeric} holds NaN and (since PostgreSQL 14) the infinities, as floats do. */
  @Override
  public boolean holdsNonFinite(ColumnType type) {
    return super.holdsNonFinite(type) || type == ColumnType.DECIMAL;
  }

  @Override
  public boolean takesBinaryCopyFrom(Dialect source) {
    return source instanceof PostgresDialect;
  }

  @Override
  public String binaryType() {
    return "BYTEA";
  }

  @Override
  public String sqlType(Column c) {
    switch (c.type()) {
      case BIGINT:
        return "bigint";
      case INTEGER:
        return "integer";
      case SMALLINT:
        return "smallint";
      case DECIMAL:
        return c.size() > 0 && c.size() <= 1000
            ? "numeric(" + c.size() + "," + c.scale() + ")"
            : "numeric";
      case DOUBLE:
        return "double precision";
      case REAL:
        return "real";
      case BOOLEAN:
        return "boolean";
      case STRING:
        if (c.size() <= 0 || c.size() > 10_485_760) {
          return "text";
        }
        return (c.fixedLength() ? "char(" : "varchar(") + c.size() + ")";
      case UUID:
        return "uuid";
      case JSON:
        return c.typeName().equals("json") ? "json" : "jsonb";
      case TIME:
        return "time(6)";
      case TEXT_FORM:
        if (c.typeName().equals("bit")) {
          return "bit(" + Math.max(1, c.size()) + ")";
        }
        if (JdbcTypes.isOtherPgArray(c.typeName())) {
          return "text[]";
        }
        return c.typeName().isEmpty() ? "text" : c.typeName();
      case DATE:
        return "date";
      case TIMESTAMP:
        return "timestamp(6)";
      case TIMESTAMP_TZ:
        return "timestamptz(6)";
      default:
        return "bytea";
    }
  }

  @Override
  public Optional<String> explainRows(String select) {
    return Optional.of("EXPLAIN (FORMAT JSON) " + select);
  }

  /** The top plan node's {@code Plan Rows}. */
  @Override
  public long explainedRows(ResultSet explained) throws SQLException {
    if (!explained.next()) {
      throw new SQLException("EXPLAIN returned nothing");
    }
    Matcher m = Pattern.compile("\"Plan Rows\":\\s*([0-9.eE+]+)").matcher(explained.getString(1));
    if (!m.find()) {
      throw new SQLException("EXPLAIN gave no row estimate: " + explained.getString(1));
    }
    return (long) Math.ceil(Double.parseDouble(m.group(1)));
  }

  @Override
  public void limitStatementTime(Connection connection, int seconds) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SET statement_timeout = '" + seconds + "s'");
    }
  }

  /**
   * UUIDs bind as {@code uuid}, which a {@code uuid} column compares with (it has no comparison
   * with text).
   */
  @Override
  public void bindKey(PreparedStatement ps, int i, ColumnType type, Object value)
      throws SQLException {
    if (type == ColumnType.UUID && value != null) {
      ps.setObject(
          i, value instanceof java.util.UUID ? value : java.util.UUID.fromString(value.toString()));
    } else if (type == ColumnType.TEXT_FORM && value != null) {
      ps.setObject(i, value.toString(), Types.OTHER);
    } else {
      super.bindKey(ps, i, type, value);
    }
  }

  /** A row comparison, which PostgreSQL reads as one index range over all the columns. */
  @Override
  public String tupleBound(List<String> columns, boolean lower, IntFunction<String> value) {
    if (columns.size() == 1) {
      return super.tupleBound(columns, lower, value);
    }
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      values.append(i == 0 ? "" : ", ").append(value.apply(i));
    }
    return "(" + String.join(", ", columns) + ") " + (lower ? ">=" : "<") + " (" + values + ")";
  }

  /**
   * A key value as a SQL literal, for {@code COPY (SELECT ...)}, which takes no parameters: strings
   * as escape strings ({@code E'...'}, backslashes and quotes doubled, so the text means itself
   * whatever {@code standard_conforming_strings} says), UUIDs and bytes cast from their canonical
   * text, temporal values with their type's keyword, numbers as digits.
   */
  @Override
  public String keyLiteral(ColumnType type, Object value) {
    switch (type) {
      case STRING:
      case TEXT_FORM:
        return "E'" + value.toString().replace("\\", "\\\\").replace("'", "''") + "'";
      case UUID:
        return "'" + java.util.UUID.fromString(value.toString()) + "'::uuid";
      case BYTES:
        return "E'\\\\x" + HexFormat.of().formatHex((byte[]) value) + "'::bytea";
      case DATE:
        return "DATE '" + value + "'";
      case TIMESTAMP:
        return "TIMESTAMP '" + value + "'";
      case TIMESTAMP_TZ:
        return "TIMESTAMPTZ '" + value + "'";
      case BIGINT:
      case INTEGER:
      case SMALLINT:
        return Long.toString(((Number) value).longValue());
      case DECIMAL:
        return ((BigDecimal) value).toPlainString();
      default:
        throw new IllegalArgumentException("no literal for key values of type " + type);
    }
  }
}

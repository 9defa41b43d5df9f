package io.metaload.metadata.schema;

import java.sql.Types;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@link ColumnType} a column a JDBC driver reports is moved as, from its JDBC type code and
 * the database's own type name (which settles what the code leaves open: unsigned integers, JSON,
 * PostgreSQL's types and arrays moved as text).
 */
public final class JdbcTypes {
  private JdbcTypes() {}

  /**
   * PostgreSQL built-in types moved as text ({@link ColumnType#TEXT_FORM}), by their catalog names.
   */
  public static final Set<String> PG_TEXT_FORM =
      Set.of(
          "interval",
          "inet",
          "cidr",
          "macaddr",
          "macaddr8",
          "xml",
          "timetz",
          "tsvector",
          "tsquery",
          "point",
          "line",
          "lseg",
          "box",
          "path",
          "polygon",
          "circle",
          "int4range",
          "int8range",
          "numrange",
          "tsrange",
          "tstzrange",
          "daterange",
          "varbit",
          "pg_lsn");

  /** Element types whose PostgreSQL arrays ({@code _int4}, ...) are moved as text. */
  public static final Set<String> PG_ARRAY_ELEMENTS =
      Set.of(
          "int2",
          "int4",
          "int8",
          "numeric",
          "float4",
          "float8",
          "bool",
          "text",
          "varchar",
          "bpchar",
          "date",
          "time",
          "timestamp",
          "timestamptz",
          "uuid",
          "json",
          "jsonb",
          "interval",
          "inet",
          "bytea");

  /**
   * True for a PostgreSQL array type ({@code _name}) whose elements are of a type outside {@link
   * #PG_ARRAY_ELEMENTS} and {@link #PG_TEXT_FORM} (an enum, a domain, a composite...): such an
   * array moves as its text, into {@code text[]} where metaload creates the column, and never
   * passes through, because a binary array names its element type by an oid that differs between
   * databases.
   */
  public static boolean isOtherPgArray(String typeName) {
    String name = typeName.toLowerCase(Locale.ROOT);
    return name.startsWith("_")
        && !PG_ARRAY_ELEMENTS.contains(name.substring(1))
        && !PG_TEXT_FORM.contains(name.substring(1));
  }

  /**
   * Maps a JDBC column to a type, or {@code null} if metaload cannot move it.
   *
   * @param typeName the database's own type name, used where the JDBC code is ambiguous
   */
  public static ColumnType of(int sqlType, String typeName) {
    String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
    if (name.equals("money")) {
      return null;
    }
    if (name.equals("year")
        && (sqlType == Types.DATE || sqlType == Types.SMALLINT || sqlType == Types.INTEGER)) {
      return ColumnType.SMALLINT;
    }
    if (name.equals("uuid")) {
      return ColumnType.UUID;
    }
    if (name.equals("json") || name.equals("jsonb")) {
      return ColumnType.JSON;
    }
    if (PG_TEXT_FORM.contains(name)
        || (name.startsWith("_") && PG_ARRAY_ELEMENTS.contains(name.substring(1)))
        || (sqlType == Types.ARRAY && name.startsWith("_"))) {
      return ColumnType.TEXT_FORM;
    }
    if (sqlType == Types.TIME && !name.contains("tz") && !name.contains("zone")) {
      return ColumnType.TIME;
    }
    switch (sqlType) {
      case Types.BIGINT:
        return name.contains("unsigned") ? ColumnType.DECIMAL : ColumnType.BIGINT;
      case Types.INTEGER:
        return name.contains("unsigned") ? ColumnType.BIGINT : ColumnType.INTEGER;
      case Types.SMALLINT:
        return name.contains("unsigned") ? ColumnType.INTEGER : ColumnType.SMALLINT;
      case Types.TINYINT:
        return ColumnType.SMALLINT;
      case Types.DECIMAL:
      case Types.NUMERIC:
        return ColumnType.DECIMAL;
      case Types.DOUBLE:
      case Types.FLOAT:
        return ColumnType.DOUBLE;
      case Types.REAL:
        return ColumnType.REAL;
      case Types.BOOLEAN:
      case Types.BIT:
        return ColumnType.BOOLEAN;
      case Types.CHAR:
      case Types.VARCHAR:
      case Types.LONGVARCHAR:
      case Types.NCHAR:
      case Types.NVARCHAR:
      case Types.LONGNVARCHAR:
      case Types.CLOB:
      case Types.NCLOB:
        return ColumnType.STRING;
      case Types.DATE:
        return ColumnType.DATE;
      case Types.TIMESTAMP:
        return name.contains("timestamptz") || name.contains("with time zone")
            ? ColumnType.TIMESTAMP_TZ
            : ColumnType.TIMESTAMP;
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return ColumnType.TIMESTAMP_TZ;
      case Types.BINARY:
      case Types.VARBINARY:
      case Types.LONGVARBINARY:
      case Types.BLOB:
        return ColumnType.BYTES;
      default:
        return null;
    }
  }
}

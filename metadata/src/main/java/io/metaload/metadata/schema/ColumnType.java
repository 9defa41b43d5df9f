package io.metaload.metadata.schema;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The value types metaload moves, each with one Java representation and the ways to read it from a
 * result set and bind it to a statement (a {@code RowBatch} encodes it: {@code ValueCodec}).
 *
 * <p>Values are: {@code Long}, {@code Integer}, {@code Short}, {@code BigDecimal}, {@code Double},
 * {@code Float}, {@code Boolean}, {@code String}, {@code LocalDate}, {@code LocalDateTime}, {@code
 * OffsetDateTime} (UTC) and {@code byte[]}. PostgreSQL's {@code infinity} and {@code -infinity}
 * dates and timestamps are the types' {@code MAX} and {@code MIN}, as the PostgreSQL driver reads
 * them.
 */
public enum ColumnType {
  BIGINT {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      long v = rs.getLong(i);
      return rs.wasNull() ? null : v;
    }
  },
  INTEGER {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      int v = rs.getInt(i);
      return rs.wasNull() ? null : v;
    }
  },
  SMALLINT {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      short v = rs.getShort(i);
      return rs.wasNull() ? null : v;
    }
  },
  /**
   * A number of a given precision and scale, as a {@link BigDecimal}; the values a decimal type may
   * hold besides numbers (PostgreSQL's {@code numeric} NaN and infinities) travel as the {@link
   * Double} of the same name, for a target to take or refuse.
   */
  DECIMAL {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      try {
        return rs.getBigDecimal(i);
      } catch (SQLException e) {
        Double special = nonFinite(rs.getString(i));
        if (special == null) {
          throw e;
        }
        return special;
      }
    }
  },
  DOUBLE {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      double v = rs.getDouble(i);
      return rs.wasNull() ? null : v;
    }
  },
  REAL {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      float v = rs.getFloat(i);
      return rs.wasNull() ? null : v;
    }
  },
  BOOLEAN {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      boolean v = rs.getBoolean(i);
      return rs.wasNull() ? null : v;
    }
  },
  STRING {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      return rs.getString(i);
    }
  },
  DATE {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      return rs.getObject(i, LocalDate.class);
    }
  },
  TIMESTAMP {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      return LocalDateTimeReader.read(rs, i);
    }
  },
  TIMESTAMP_TZ {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
      if (t == null || t.equals(OffsetDateTime.MAX) || t.equals(OffsetDateTime.MIN)) {
        return t;
      }
      return t.withOffsetSameInstant(ZoneOffset.UTC);
    }
  },
  /**
   * PostgreSQL and H2 {@code uuid}; MariaDB {@code uuid}. Created as {@code char(36)} on MariaDB.
   */
  UUID {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      Object v = rs.getObject(i);
      if (v == null || v instanceof java.util.UUID) {
        return v;
      }
      return java.util.UUID.fromString(v.toString().trim());
    }
  },
  /** PostgreSQL {@code json} and {@code jsonb}, kept as the document's text. */
  JSON {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      return rs.getString(i);
    }
  },
  /**
   * A time of day without a time zone (PostgreSQL {@code time}, MariaDB {@code time} within one
   * day).
   */
  /**
   * A time of day. Read from the driver's text, so that a MariaDB {@code time} beyond one day (up
   * to {@code 838:59:59}) or below zero is refused (SQLState 22008) rather than wrapped around as
   * its driver does; PostgreSQL's {@code 24:00:00} is {@code LocalTime.MAX}.
   */
  TIME {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      String text = rs.getString(i);
      return text == null ? null : timeOfDay(text);
    }
  },
  /**
   * A PostgreSQL type metaload moves in its text form ({@link JdbcTypes#PG_TEXT_FORM}: intervals,
   * network addresses, ranges, geometry, {@code xml}, {@code timetz}, arrays of common types): read
   * as the driver's text, written through COPY's text input, created as the same type on a
   * PostgreSQL target and as text elsewhere.
   */
  TEXT_FORM {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      return rs.getString(i);
    }
  },
  BYTES {
    @Override
    public Object read(ResultSet rs, int i) throws SQLException {
      return rs.getBytes(i);
    }
  };

  /** Reads column {@code i} (1-based) of the current row; SQL NULL is {@code null}. */
  public abstract Object read(ResultSet rs, int i) throws SQLException;

  /**
   * Parses a literal written in metadata (a LIST partition value, a RANGE boundary), or throws
   * {@link IllegalArgumentException} saying what was expected.
   */
  public Object parse(String literal) {
    try {
      switch (this) {
        case BIGINT:
          return Long.parseLong(literal.trim());
        case INTEGER:
          return Integer.parseInt(literal.trim());
        case SMALLINT:
          return Short.parseShort(literal.trim());
        case DECIMAL:
          return new BigDecimal(literal.trim());
        case DOUBLE:
          return Double.parseDouble(literal.trim());
        case REAL:
          return Float.parseFloat(literal.trim());
        case BOOLEAN:
          return Boolean.parseBoolean(literal.trim());
        case STRING:
        case JSON:
        case TEXT_FORM:
          return literal;
        case TIME:
          return LocalTime.parse(literal.trim());
        case UUID:
          return java.util.UUID.fromString(literal.trim());
        case DATE:
          return LocalDate.parse(literal.trim());
        case TIMESTAMP:
          return LocalDateTime.parse(literal.trim().replace(' ', 'T'));
        case TIMESTAMP_TZ:
          return OffsetDateTime.parse(literal.trim().replace(' ', 'T'));
        default:
          throw new IllegalArgumentException("binary values cannot be written as literals");
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "'" + literal + "' is not a valid " + name().toLowerCase(Locale.ROOT) + " value", e);
    }
  }

  private static LocalTime timeOfDay(String text) throws SQLException {
    String t = text.trim();
    int colon = t.indexOf(':');
    long hours;
    try {
      hours = colon < 1 ? -1 : Long.parseLong(t.substring(0, colon));
    } catch (NumberFormatException e) {
      hours = -1;
    }
    if (hours == 24 && t.substring(colon).matches(":00:00(\\.0*)?")) {
      return LocalTime.MAX;
    }
    if (hours < 0 || hours > 23 || t.startsWith("-")) {
      throw new SQLException(
          "time " + text + " lies outside one day, which a time-of-day column cannot hold",
          "22008");
    }
    return LocalTime.parse(hours < 10 && colon == 1 ? "0" + t : t);
  }

  /** NaN or an infinity spelled as PostgreSQL spells them; null for anything else. */
  private static Double nonFinite(String text) {
    if (text == null) {
      return null;
    }
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "Infinity":
        return Double.POSITIVE_INFINITY;
      case "-Infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        return null;
    }
  }

  /**
   * True for a value that is NaN or an infinity: a {@link #DECIMAL}'s special values, a float's.
   */
  public static boolean isNonFinite(Object value) {
    return value instanceof Double && !Double.isFinite((Double) value)
        || value instanceof Float && !Float.isFinite((Float) value);
  }

  /** Binds a value (or SQL NULL) to parameter {@code i} (1-based). */
  public void bind(PreparedStatement ps, int i, Object value) throws SQLException {
    if (value == null) {
      ps.setNull(i, sqlType());
    } else if (this == TIMESTAMP_TZ) {
      ps.setObject(i, value, Types.TIMESTAMP_WITH_TIMEZONE);
    } else if (this == UUID || this == JSON || this == TEXT_FORM) {
      ps.setString(i, value.toString());
    } else {
      ps.setObject(i, value);
    }
  }

  /** The {@link java.sql.Types} code used for NULLs and type checks. */
  public int sqlType() {
    switch (this) {
      case BIGINT:
        return Types.BIGINT;
      case INTEGER:
        return Types.INTEGER;
      case SMALLINT:
        return Types.SMALLINT;
      case DECIMAL:
        return Types.DECIMAL;
      case DOUBLE:
        return Types.DOUBLE;
      case REAL:
        return Types.REAL;
      case BOOLEAN:
        return Types.BOOLEAN;
      case STRING:
      case JSON:
      case UUID:
      case TEXT_FORM:
        return Types.VARCHAR;
      case TIME:
        return Types.TIME;
      case DATE:
        return Types.DATE;
      case TIMESTAMP:
        return Types.TIMESTAMP;
      case TIMESTAMP_TZ:
        return Types.TIMESTAMP_WITH_TIMEZONE;
      default:
        return Types.VARBINARY;
    }
  }

  /** Types in one family may load into each other; a target column of another family may not. */
  public String family() {
    switch (this) {
      case BIGINT:
      case INTEGER:
      case SMALLINT:
      case DECIMAL:
      case DOUBLE:
      case REAL:
        return "number";
      case STRING:
      case JSON:
      case TEXT_FORM:
        return "text";
      case TIME:
        return "time";
      case UUID:
        return "uuid";
      case DATE:
      case TIMESTAMP:
      case TIMESTAMP_TZ:
        return "temporal";
      case BOOLEAN:
        return "boolean";
      default:
        return "binary";
    }
  }
}

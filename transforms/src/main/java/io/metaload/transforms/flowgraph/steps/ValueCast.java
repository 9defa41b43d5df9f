package io.metaload.transforms.flowgraph.steps;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.transforms.flowgraph.StepConfigException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Type names as steps write them ({@code bigint}, {@code decimal(12,2)}, {@code varchar(40)},
 * {@code timestamptz}) and the conversion of a value into such a type with the target database's
 * rules: a number that does not fit the precision, a string longer than its length or text that is
 * no number fails with a reason instead of being cut.
 */
final class ValueCast {
  private static final Pattern TYPE =
      Pattern.compile("\\s*([a-z ]+?)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*");

  private ValueCast() {}

  /** A cast failed for this row; the message is the reject reason. */
  static final class CastFailure extends Exception {
    private static final long serialVersionUID = 1L;

    CastFailure(String message) {
      super(message, null, false, false);
    }
  }

  /** The column {@code name} gets when cast to {@code spec}. */
  static Column column(String name, String spec, boolean nullable) {
    Matcher m = TYPE.matcher(spec.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new StepConfigException(
          "type '" + spec + "' is not a type name such as bigint, decimal(12,2) or varchar(40)");
    }
    int size = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    int scale = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    ColumnType type;
    String typeName;
    switch (m.group(1)) {
      case "bigint":
      case "int8":
      case "long":
        type = ColumnType.BIGINT;
        typeName = "int8";
        break;
      case "integer":
      case "int":
      case "int4":
        type = ColumnType.INTEGER;
        typeName = "int4";
        break;
      case "smallint":
      case "int2":
        type = ColumnType.SMALLINT;
        typeName = "int2";
        break;
      case "decimal":
      case "numeric":
        if (size == 0) {
          throw new StepConfigException(
              "type '" + spec + "' needs a precision, e.g. decimal(12,2)");
        }
        if (scale > size) {
          throw new StepConfigException(
              "type '" + spec + "': scale " + scale + " is larger than precision " + size);
        }
        type = ColumnType.DECIMAL;
        typeName = "numeric";
        break;
      case "double":
      case "double precision":
      case "float8":
        type = ColumnType.DOUBLE;
        typeName = "float8";
        break;
      case "real":
      case "float4":
      case "float":
        type = ColumnType.REAL;
        typeName = "float4";
        break;
      case "boolean":
      case "bool":
        type = ColumnType.BOOLEAN;
        typeName = "bool";
        break;
      case "varchar":
      case "string":
      case "text":
        type = ColumnType.STRING;
        typeName = size == 0 ? "text" : "varchar";
        break;
      case "date":
        type = ColumnType.DATE;
        typeName = "date";
        break;
      case "timestamp":
        type = ColumnType.TIMESTAMP;
        typeName = "timestamp";
        break;
      case "timestamptz":
      case "timestamp with time zone":
        type = ColumnType.TIMESTAMP_TZ;
        typeName = "timestamptz";
        break;
      case "time":
        type = ColumnType.TIME;
        typeName = "time";
        break;
      case "uuid":
        type = ColumnType.UUID;
        typeName = "uuid";
        break;
      default:
        throw new StepConfigException(
            "type '"
                + spec
                + "' is not supported (bigint, integer, smallint, decimal(p,s), double, real, "
                + "boolean, varchar(n), text, date, timestamp, timestamptz, time, uuid)");
    }
    return Column.of(name, type, size, scale, nullable, false, typeName);
  }

  /** Whether values of {@code from} can be cast to {@code to} at all (a row may still fail). */
  static boolean castable(ColumnType from, ColumnType to) {
    if (from == to || to == ColumnType.STRING) {
      return true;
    }
    String source = from.family();
    switch (to.family()) {
      case "number":
        return source.equals("number") || source.equals("text") || from == ColumnType.BOOLEAN;
      case "temporal":
        return source.equals("temporal") || source.equals("text");
      case "boolean":
        return source.equals("number") || source.equals("text");
      case "uuid":
      case "time":
        return source.equals("text");
      default:
        return false;
    }
  }

  /** {@code value} (of type {@code from}) as a value of column {@code to}. */
  static Object cast(Object value, ColumnType from, Column to) throws CastFailure {
    if (value == null) {
      return null;
    }
    try {
      switch (to.type()) {
        case BIGINT:
          return integral(value, Long.MIN_VALUE, Long.MAX_VALUE, to).longValue();
        case INTEGER:
          return integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE, to).intValue();
        case SMALLINT:
          return integral(value, Short.MIN_VALUE, Short.MAX_VALUE, to).shortValue();
        case DECIMAL:
          return decimal(value, to);
        case DOUBLE:
          return number(value).doubleValue();
        case REAL:
          return number(value).floatValue();
        case BOOLEAN:
          return bool(value);
        case STRING:
          return string(value, to);
        case DATE:
          return date(value);
        case TIMESTAMP:
          return timestamp(value);
        case TIMESTAMP_TZ:
          return timestampTz(value);
        case TIME:
          return value instanceof LocalTime ? value : LocalTime.parse(value.toString().trim());
        case UUID:
          return value instanceof java.util.UUID
              ? value
              : java.util.UUID.fromString(value.toString().trim());
        default:
          throw new CastFailure("cannot cast to " + describe(to));
      }
    } catch (RuntimeException e) {
      throw new CastFailure("'" + shorten(value) + "' is not a valid " + describe(to));
    }
  }

  static String describe(Column c) {
    String name = c.typeName().isEmpty() ? c.type().name().toLowerCase(Locale.ROOT) : c.typeName();
    return c.size() == 0
        ? name
        : c.type() == ColumnType.DECIMAL
            ? name + "(" + c.size() + "," + c.scale() + ")"
            : name + "(" + c.size() + ")";
  }

  private static BigDecimal number(Object value) {
    if (value instanceof BigDecimal) {
      return (BigDecimal) value;
    }
    if (value instanceof Double || value instanceof Float) {
      return BigDecimal.valueOf(((Number) value).doubleValue());
    }
    if (value instanceof Number) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof Boolean) {
      return (Boolean) value ? BigDecimal.ONE : BigDecimal.ZERO;
    }
    return new BigDecimal(value.toString().trim());
  }

  private static BigDecimal integral(Object value, long min, long max, Column to)
      throws CastFailure {
    BigDecimal n = number(value);
    if (n.stripTrailingZeros().scale() > 0) {
      throw new CastFailure("'" + shorten(value) + "' is not a whole number for " + describe(to));
    }
    if (n.compareTo(BigDecimal.valueOf(min)) < 0 || n.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new CastFailure(shorten(value) + " is out of range for " + describe(to));
    }
    return n;
  }

  private static BigDecimal decimal(Object value, Column to) throws CastFailure {
    BigDecimal n = number(value).setScale(to.scale(), RoundingMode.HALF_UP);
    if (n.precision() - n.scale() > to.size() - to.scale()) {
      throw new CastFailure(shorten(value) + " does not fit " + describe(to));
    }
    return n;
  }

  private static Boolean bool(Object value) throws CastFailure {
    if (value instanceof Boolean) {
      return (Boolean) value;
    }
    if (value instanceof Number) {
      return number(value).signum() != 0;
    }
    switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
      case "true":
      case "t":
      case "yes":
      case "y":
      case "1":
        return true;
      case "false":
      case "f":
      case "no":
      case "n":
      case "0":
        return false;
      default:
        throw new CastFailure("'" + shorten(value) + "' is not a boolean");
    }
  }

  private static String string(Object value, Column to) throws CastFailure {
    String s =
        value instanceof BigDecimal ? ((BigDecimal) value).toPlainString() : value.toString();
    if (to.size() > 0 && s.codePointCount(0, s.length()) > to.size()) {
      throw new CastFailure("'" + shorten(value) + "' is longer than " + to.size() + " characters");
    }
    return s;
  }

  private static LocalDate date(Object value) {
    if (value instanceof LocalDate) {
      return (LocalDate) value;
    }
    if (value instanceof LocalDateTime) {
      return ((LocalDateTime) value).toLocalDate();
    }
    if (value instanceof OffsetDateTime) {
      return ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
    }
    return LocalDate.parse(value.toString().trim());
  }

  private static LocalDateTime timestamp(Object value) {
    if (value instanceof LocalDateTime) {
      return (LocalDateTime) value;
    }
    if (value instanceof LocalDate) {
      return ((LocalDate) value).atStartOfDay();
    }
    if (value instanceof OffsetDateTime) {
      return ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }
    return LocalDateTime.parse(value.toString().trim().replace(' ', 'T'));
  }

  private static OffsetDateTime timestampTz(Object value) {
    if (value instanceof OffsetDateTime) {
      return ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC);
    }
    if (value instanceof LocalDateTime) {
      return ((LocalDateTime) value).atOffset(ZoneOffset.UTC);
    }
    if (value instanceof LocalDate) {
      return ((LocalDate) value).atStartOfDay().atOffset(ZoneOffset.UTC);
    }
    return OffsetDateTime.parse(value.toString().trim().replace(' ', 'T'))
        .withOffsetSameInstant(ZoneOffset.UTC);
  }

  static String shorten(Object value) {
    String s =
        value instanceof BigDecimal ? ((BigDecimal) value).toPlainString() : String.valueOf(value);
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}

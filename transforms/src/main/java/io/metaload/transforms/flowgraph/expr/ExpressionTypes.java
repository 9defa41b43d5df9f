package io.metaload.transforms.flowgraph.expr;

import io.metaload.metadata.schema.ColumnType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/**
 * How column values appear in expressions: every integer as {@code Long}, every floating-point
 * number as {@code Double}, the other types as the rows hold them.
 */
public final class ExpressionTypes {
  private ExpressionTypes() {}

  public static Class<?> javaClass(ColumnType type) {
    switch (type) {
      case BIGINT:
      case INTEGER:
      case SMALLINT:
        return Long.class;
      case DECIMAL:
        return BigDecimal.class;
      case DOUBLE:
      case REAL:
        return Double.class;
      case BOOLEAN:
        return Boolean.class;
      case STRING:
      case JSON:
      case TEXT_FORM:
        return String.class;
      case DATE:
        return LocalDate.class;
      case TIMESTAMP:
        return LocalDateTime.class;
      case TIMESTAMP_TZ:
        return OffsetDateTime.class;
      case TIME:
        return LocalTime.class;
      case UUID:
        return java.util.UUID.class;
      default:
        return byte[].class;
    }
  }

  /** A row value as expressions see it. */
  static Object toExpression(ColumnType type, Object value) {
    if (value == null) {
      return null;
    }
    switch (type) {
      case INTEGER:
        return (long) (Integer) value;
      case SMALLINT:
        return (long) (Short) value;
      case REAL:
        return (double) (Float) value;
      default:
        return value;
    }
  }
}

package io.metaload.metadata.dialect;

import io.metaload.metadata.schema.Column;
import java.util.Locale;

/**
 * H2, the embedded default: batched inserts; DDL commits on its own, so the swap is two renames in
 * quick succession rather than one transaction.
 */
public final class H2Dialect extends Dialect {
  private final H2TargetSql target = new H2TargetSql(this);

  @Override
  public TargetSql target() {
    return target;
  }

  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "h2";
  }

  @Override
  public String driverClass() {
    return "org.h2.Driver";
  }

  @Override
  protected String foldCase(String identifier) {
    return identifier.toUpperCase(Locale.ROOT);
  }

  @Override
  public String sqlType(Column c) {
    switch (c.type()) {
      case BIGINT:
        return "BIGINT";
      case INTEGER:
        return "INTEGER";
      case SMALLINT:
        return "SMALLINT";
      case DECIMAL:
        return c.size() > 0 && c.size() <= 100_000
            ? "NUMERIC(" + c.size() + "," + c.scale() + ")"
            : "NUMERIC(100000, 50)";
      case DOUBLE:
        return "DOUBLE PRECISION";
      case REAL:
        return "REAL";
      case BOOLEAN:
        return "BOOLEAN";
      case STRING:
        if (c.size() <= 0 || c.size() > 1_000_000) {
          return "CHARACTER LARGE OBJECT";
        }
        return (c.fixedLength() ? "CHAR(" : "VARCHAR(") + c.size() + ")";
      case UUID:
        return "uuid";
      case JSON:
        return "clob";
      case TIME:
        return "TIME(6)";
      case TEXT_FORM:
        return "CHARACTER LARGE OBJECT";
      case DATE:
        return "DATE";
      case TIMESTAMP:
        return "TIMESTAMP(6)";
      case TIMESTAMP_TZ:
        return "TIMESTAMP(6) WITH TIME ZONE";
      default:
        return "VARBINARY";
    }
  }
}

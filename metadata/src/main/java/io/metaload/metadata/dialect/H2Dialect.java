package io.metaload.metadata.dialect;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * H2, the embedded default: batched inserts; DDL commits on its own, so the swap is two renames in
 * quick succession rather than one transaction.
 */
public final class H2Dialect extends Dialect {
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

  @Override
  protected List<String> createStaging(
      TableRef target, TableSchema targetSchema, TableRef staging) {
    return List.of(createTable(staging, targetSchema));
  }

  @Override
  public List<String> swap(TableRef target, TableRef staging, TableRef retired) {
    return List.of(
        "ALTER TABLE " + qualified(target) + " RENAME TO " + quote(retired.table()),
        "ALTER TABLE " + qualified(staging) + " RENAME TO " + quote(target.table()));
  }

  @Override
  public boolean transactionalDdl() {
    return false;
  }

  @Override
  public String upsert(
      TableRef target,
      List<String> columns,
      List<String> key,
      Set<String> insertOnly,
      String select) {
    String cols = columns.stream().map(this::quote).collect(Collectors.joining(", "));
    return "MERGE INTO "
        + qualified(target)
        + " ("
        + cols
        + ") KEY ("
        + key.stream().map(this::quote).collect(Collectors.joining(", "))
        + ") "
        + select;
  }
}

package io.metaload.metadata.dialect;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.util.List;
import java.util.Locale;

/** PostgreSQL: COPY for bulk loads, transactional DDL for the swap. */
public final class PostgresDialect extends Dialect {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  @Override
  String foldCase(String identifier) {
    return identifier.toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean supportsCopy() {
    return true;
  }

  @Override
  public String sqlType(Column c) {
    switch (c.type()) {
      case BIGINT: return "bigint";
      case INTEGER: return "integer";
      case SMALLINT: return "smallint";
      case DECIMAL:
        return c.size() > 0 && c.size() <= 1000 ? "numeric(" + c.size() + "," + c.scale() + ")" : "numeric";
      case DOUBLE: return "double precision";
      case REAL: return "real";
      case BOOLEAN: return "boolean";
      case STRING:
        if (c.size() <= 0 || c.size() > 10_485_760) {
          return "text";
        }
        return (c.fixedLength() ? "char(" : "varchar(") + c.size() + ")";
      case DATE: return "date";
      case TIMESTAMP: return "timestamp(6)";
      case TIMESTAMP_TZ: return "timestamptz(6)";
      default: return "bytea";
    }
  }

  @Override
  public List<String> createStaging(TableRef target, TableSchema targetSchema, TableRef staging) {
    return List.of("CREATE TABLE " + qualified(staging) + " (LIKE " + qualified(target) + " INCLUDING ALL)");
  }

  @Override
  public List<String> swap(TableRef target, TableRef staging, TableRef retired) {
    return List.of(
        "ALTER TABLE " + qualified(target) + " RENAME TO " + quote(retired.table()),
        "ALTER TABLE " + qualified(staging) + " RENAME TO " + quote(target.table()));
  }

  @Override
  public boolean transactionalDdl() {
    return true;
  }
}

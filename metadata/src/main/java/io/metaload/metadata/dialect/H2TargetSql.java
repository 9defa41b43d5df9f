package io.metaload.metadata.dialect;

import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The target SQL of {@link H2Dialect}. */
final class H2TargetSql extends TargetSql {
  private static final long serialVersionUID = 1L;

  H2TargetSql(H2Dialect dialect) {
    super(dialect);
  }

  @Override
  protected List<String> createStaging(
      TableRef target, TableSchema targetSchema, TableRef staging) {
    return List.of(createTable(staging, targetSchema));
  }

  @Override
  public List<String> swap(TableRef target, TableRef staging, TableRef retired) {
    return List.of(
        "ALTER TABLE " + dialect.qualified(target) + " RENAME TO " + dialect.quote(retired.table()),
        "ALTER TABLE "
            + dialect.qualified(staging)
            + " RENAME TO "
            + dialect.quote(target.table()));
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
    String cols = columns.stream().map(dialect::quote).collect(Collectors.joining(", "));
    return "MERGE INTO "
        + dialect.qualified(target)
        + " ("
        + cols
        + ") KEY ("
        + key.stream().map(dialect::quote).collect(Collectors.joining(", "))
        + ") "
        + select;
  }
}

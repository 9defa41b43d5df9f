package io.metaload.testing.dialect;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.dialect.DialectProvider;
import io.metaload.metadata.dialect.TargetSql;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A database metaload does not ship, registered by this module's test resources from a package
 * other than the dialects': proves that a dialect is written and found without editing metaload.
 */
public final class ElsewhereDialectProvider implements DialectProvider {
  @Override
  public String urlPrefix() {
    return "jdbc:elsewhere:";
  }

  @Override
  public Dialect create() {
    return new ElsewhereDialect();
  }

  /** SQL as H2 writes it, with swaps by rename. */
  public static final class ElsewhereDialect extends Dialect {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
      return "elsewhere";
    }

    @Override
    public String driverClass() {
      return "org.elsewhere.Driver";
    }

    @Override
    public String sqlType(Column column) {
      return "VARCHAR";
    }

    @Override
    protected String foldCase(String identifier) {
      return identifier.toUpperCase(Locale.ROOT);
    }

    @Override
    public TargetSql target() {
      return new ElsewhereTargetSql(this);
    }

    @Override
    public String firstRows(long rows) {
      return " FETCH FIRST " + rows + " ROWS ONLY";
    }
  }

  /** The target SQL of {@link ElsewhereDialect}. */
  static final class ElsewhereTargetSql extends TargetSql {
    private static final long serialVersionUID = 1L;

    ElsewhereTargetSql(Dialect dialect) {
      super(dialect);
    }

    @Override
    protected List<String> createStaging(
        TableRef target, TableSchema targetSchema, TableRef staging) {
      return List.of(
          "CREATE TABLE "
              + dialect.qualified(staging)
              + " AS SELECT * FROM "
              + dialect.qualified(target)
              + " WHERE 1 = 0");
    }

    @Override
    public String upsert(
        TableRef target,
        List<String> columns,
        List<String> key,
        Set<String> insertOnly,
        String select) {
      return "MERGE INTO "
          + dialect.qualified(target)
          + " KEY ("
          + String.join(", ", key)
          + ") "
          + select;
    }

    @Override
    public List<String> swap(TableRef target, TableRef staging, TableRef retired) {
      return List.of(renameTable(target, retired), renameTable(staging, target));
    }

    @Override
    public boolean transactionalDdl() {
      return false;
    }
  }
}

package io.metaload.metadata.dialect;

import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The target SQL of {@link PostgresDialect}. */
final class PostgresTargetSql extends TargetSql {
  private static final long serialVersionUID = 1L;

  PostgresTargetSql(PostgresDialect dialect) {
    super(dialect);
  }

  /**
   * When the target's only index is its primary key, staging is created without it and the key is
   * built once after the load ({@link #completeStaging}): a bulk load into an unindexed table
   * followed by one index build is far cheaper than maintaining the index row by row. A target with
   * other indexes gets them all from the start.
   */
  @Override
  public List<String> createStaging(
      Connection connection, TableRef target, TableSchema targetSchema, TableRef staging)
      throws SQLException {
    boolean deferKey =
        !targetSchema.primaryKey().isEmpty() && onlyIndexIsPrimaryKey(connection, target);
    return List.of(
        "CREATE TABLE "
            + dialect.qualified(staging)
            + " (LIKE "
            + dialect.qualified(target)
            + " INCLUDING ALL EXCLUDING GENERATED"
            + (deferKey ? " EXCLUDING INDEXES)" : ")"));
  }

  @Override
  protected List<String> createStaging(
      TableRef target, TableSchema targetSchema, TableRef staging) {
    return List.of(
        "CREATE TABLE "
            + dialect.qualified(staging)
            + " (LIKE "
            + dialect.qualified(target)
            + " INCLUDING ALL EXCLUDING GENERATED)");
  }

  @Override
  public List<String> completeStaging(
      Connection connection, TableRef staging, TableSchema targetSchema) throws SQLException {
    if (targetSchema.primaryKey().isEmpty() || hasPrimaryKey(connection, staging)) {
      return List.of();
    }
    return List.of(
        "ALTER TABLE "
            + dialect.qualified(staging)
            + " ADD PRIMARY KEY ("
            + targetSchema.primaryKey().stream()
                .map(dialect::quote)
                .collect(Collectors.joining(", "))
            + ")");
  }

  private boolean onlyIndexIsPrimaryKey(Connection c, TableRef table) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FILTER (WHERE NOT indisprimary), count(*) FILTER (WHERE indisprimary) FROM pg_index WHERE indrelid = ?::regclass")) {
      ps.setString(1, dialect.qualified(table));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) == 0 && rs.getLong(2) == 1;
      }
    }
  }

  private boolean hasPrimaryKey(Connection c, TableRef table) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM pg_index WHERE indrelid = ?::regclass AND indisprimary")) {
      ps.setString(1, dialect.qualified(table));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  @Override
  public List<String> swapLeavesBehind(Connection c, TableRef target) throws SQLException {
    return new PostgresInPlaceSwap(dialect).leftBehind(c, target);
  }

  @Override
  public List<String> replaceContents(Connection c, TableRef target, TableRef staging)
      throws SQLException {
    return new PostgresInPlaceSwap(dialect).replaceContents(c, target, staging);
  }

  /**
   * Also gives the new target's indexes the names the old target's had, so the target keeps {@code
   * orders_pkey} and its other index names from run to run instead of taking the staging table's
   * ({@code orders_ml_stg_7_..._pkey}). Index names are unique per schema: the retired table's
   * indexes are renamed out of the way first. Indexes are paired by what they are (primary, unique,
   * method, columns or expressions, predicate); an index without a counterpart keeps its name.
   */
  @Override
  public List<String> swap(TableRef target, TableRef staging, TableRef retired) {
    return List.of(
        "ALTER TABLE " + dialect.qualified(target) + " RENAME TO " + dialect.quote(retired.table()),
        "ALTER TABLE " + dialect.qualified(staging) + " RENAME TO " + dialect.quote(target.table()),
        keepIndexNames(target, retired));
  }

  private String keepIndexNames(TableRef target, TableRef retired) {
    String retiredTable =
        stringLiteral(dialect.qualified(TableRef.of(target.schema(), retired.table())));
    return "DO $metaload_swap$ DECLARE r record; BEGIN FOR r IN "
        + "WITH o AS ("
        + indexesOf(retiredTable)
        + "), n AS ("
        + indexesOf(stringLiteral(dialect.qualified(target)))
        + ") "
        + "SELECT o.id AS old_index, o.name AS old_name, n.id AS new_index FROM o JOIN n USING (indisprimary, indisunique, def, k) "
        + "WHERE o.name <> n.name LOOP "
        + "EXECUTE format('ALTER INDEX %s RENAME TO %I', r.old_index::regclass, 'ml_retired_index_' || r.old_index::oid); "
        + "EXECUTE format('ALTER INDEX %s RENAME TO %I', r.new_index::regclass, r.old_name); "
        + "END LOOP; END $metaload_swap$";
  }

  private static String indexesOf(String table) {
    String def = "regexp_replace(pg_get_indexdef(i.indexrelid), '^.*? USING ', '')";
    return "SELECT i.indexrelid AS id, c.relname AS name, i.indisprimary, i.indisunique, "
        + def
        + " AS def, "
        + "row_number() OVER (PARTITION BY i.indisprimary, i.indisunique, "
        + def
        + " ORDER BY c.relname) AS k "
        + "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = "
        + table
        + "::regclass";
  }

  private static String stringLiteral(String value) {
    return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  @Override
  public void limitLockWait(Connection connection, long millis) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SET LOCAL lock_timeout = " + Math.max(1, millis));
    }
  }

  @Override
  public boolean isLockTimeout(SQLException e) {
    return "55P03".equals(e.getSQLState());
  }

  @Override
  public boolean transactionalDdl() {
    return true;
  }

  @Override
  public List<String> createPlainStaging(
      Connection connection, TableRef target, TableSchema targetSchema, TableRef staging) {
    return List.of(
        "CREATE TABLE "
            + dialect.qualified(staging)
            + " (LIKE "
            + dialect.qualified(target)
            + " INCLUDING DEFAULTS)");
  }

  @Override
  public String upsert(
      TableRef target,
      List<String> columns,
      List<String> key,
      Set<String> insertOnly,
      String select) {
    List<String> set = new ArrayList<>();
    for (String c : columns) {
      if (!key.contains(c) && !insertOnly.contains(c)) {
        set.add(dialect.quote(c) + " = EXCLUDED." + dialect.quote(c));
      }
    }
    String cols = columns.stream().map(dialect::quote).collect(Collectors.joining(", "));
    return "INSERT INTO "
        + dialect.qualified(target)
        + " ("
        + cols
        + ") "
        + (insertOnly.isEmpty() ? "" : "OVERRIDING SYSTEM VALUE ")
        + select
        + " ON CONFLICT ("
        + key.stream().map(dialect::quote).collect(Collectors.joining(", "))
        + ") "
        + (set.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + String.join(", ", set));
  }

  /**
   * {@code xmax = 0} holds for a row version this statement inserted, not for one it updated. A
   * partitioned table cannot return system columns: its keys are counted by the caller instead.
   */
  @Override
  public Optional<String> upsertCounting(
      Connection c,
      TableRef target,
      List<String> columns,
      List<String> key,
      Set<String> insertOnly,
      String select)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT relkind = 'p' FROM pg_class WHERE oid = ?::regclass")) {
      ps.setString(1, dialect.qualified(target));
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getBoolean(1)) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(
        "WITH ml_m AS ("
            + upsert(target, columns, key, insertOnly, select)
            + " RETURNING (xmax = 0) AS ml_inserted) "
            + "SELECT COUNT(*) FILTER (WHERE ml_inserted), COUNT(*) FILTER (WHERE NOT ml_inserted) FROM ml_m");
  }

  @Override
  public Set<String> generatedColumns(Connection c, TableRef target) throws SQLException {
    return attributes(c, target, "attgenerated <> ''");
  }

  @Override
  public Set<String> insertOnlyColumns(Connection c, TableRef target) throws SQLException {
    return attributes(c, target, "attidentity = 'a'");
  }

  @Override
  public List<String> identityCatchUp(Connection c, TableRef target) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT quote_ident(attname), pg_get_serial_sequence(?, attname) FROM pg_attribute "
                + "WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped AND attidentity <> ''")) {
      ps.setString(1, dialect.qualified(target));
      ps.setString(2, dialect.qualified(target));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String sequence = rs.getString(2);
          out.add(
              "SELECT setval('"
                  + sequence.replace("'", "''")
                  + "', GREATEST((SELECT max("
                  + rs.getString(1)
                  + ") FROM "
                  + dialect.qualified(target)
                  + "), (SELECT last_value FROM "
                  + sequence
                  + ")))");
        }
      }
    }
    return out;
  }

  private Set<String> attributes(Connection c, TableRef target, String condition)
      throws SQLException {
    Set<String> out = new LinkedHashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0 "
                + "AND NOT attisdropped AND "
                + condition)) {
      ps.setString(1, dialect.qualified(target));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}

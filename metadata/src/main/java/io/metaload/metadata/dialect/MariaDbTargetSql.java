package io.metaload.metadata.dialect;

import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The target SQL of {@link MariaDbDialect}. */
final class MariaDbTargetSql extends TargetSql {
  private static final long serialVersionUID = 1L;

  MariaDbTargetSql(MariaDbDialect dialect) {
    super(dialect);
  }

  @Override
  protected List<String> createStaging(
      TableRef target, TableSchema targetSchema, TableRef staging) {
    return List.of(
        "CREATE TABLE " + dialect.qualified(staging) + " LIKE " + dialect.qualified(target));
  }

  /**
   * {@code RENAME TABLE} leaves triggers on the old table (dropped with it), and publishing in
   * place would fire them for every row, so a target with triggers is refused. Views and grants
   * name the table and follow the new one, and {@code CREATE TABLE ... LIKE} gave staging the
   * comments and partitions; foreign keys are published in place ({@link #swapLeavesBehind}).
   */
  @Override
  public Optional<String> swapRefusal(Connection c, TableRef target) throws SQLException {
    List<String> found =
        names(
            c,
            target,
            1,
            "SELECT CONCAT('trigger ', TRIGGER_NAME) FROM information_schema.TRIGGERS "
                + "WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?");
    if (found.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "a full load publishes into MariaDB target "
            + target
            + " by renaming a new table into its place, "
            + "which would leave its "
            + String.join(", ", found)
            + " on the old table (and replacing its rows in place would fire "
            + String.join(", ", found)
            + " for every row): drop them before the load and create them again after it, or load into another "
            + "table");
  }

  /**
   * Foreign keys from other tables would follow the renamed old table, and {@code CREATE TABLE ...
   * LIKE} does not copy the target's own: either makes the publication replace the target's rows in
   * place ({@link #replaceContents}).
   */
  @Override
  public List<String> swapLeavesBehind(Connection c, TableRef target) throws SQLException {
    return names(
        c,
        target,
        2,
        "SELECT CONCAT('foreign key ', CONSTRAINT_NAME, ' of table ', TABLE_NAME) FROM "
            + "information_schema.REFERENTIAL_CONSTRAINTS WHERE UNIQUE_CONSTRAINT_SCHEMA = ? AND REFERENCED_TABLE_NAME = ? "
            + "UNION ALL SELECT CONCAT('foreign key ', CONSTRAINT_NAME, ' to table ', REFERENCED_TABLE_NAME) FROM "
            + "information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?");
  }

  /**
   * Deletes the target's rows and inserts the staged ones with foreign key checks off for those two
   * statements only ({@code SET STATEMENT}), so that references neither block, nor cascade, nor
   * depend on the order rows arrive in (a table that refers to itself); {@link #brokenReferences}
   * then checks every reference to and from the target. Plain DML: it commits or rolls back with
   * the publication's transaction.
   */
  @Override
  public List<String> replaceContents(Connection c, TableRef target, TableRef staging)
      throws SQLException {
    String columns =
        dialect.columnList(dialect.catalog().readSchema(c, target).orElseThrow().columns());
    return List.of(
        "SET STATEMENT foreign_key_checks = 0 FOR DELETE FROM " + dialect.qualified(target),
        "SET STATEMENT foreign_key_checks = 0 FOR INSERT INTO "
            + dialect.qualified(target)
            + " ("
            + columns
            + ") SELECT "
            + columns
            + " FROM "
            + dialect.qualified(staging));
  }

  @Override
  public List<String> brokenReferences(Connection c, TableRef target) throws SQLException {
    String schema = target.schema() == null ? c.getCatalog() : target.schema();
    Map<List<String>, List<String[]>> keys = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_SCHEMA, "
                + "REFERENCED_TABLE_NAME, COLUMN_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE REFERENCED_TABLE_NAME IS "
                + "NOT NULL AND ((REFERENCED_TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME = ?) OR (TABLE_SCHEMA = ? AND TABLE_NAME = ?)) "
                + "ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION")) {
      ps.setString(1, schema);
      ps.setString(2, target.table());
      ps.setString(3, schema);
      ps.setString(4, target.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.computeIfAbsent(
                  List.of(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getString(5)),
                  k -> new ArrayList<>())
              .add(new String[] {rs.getString(6), rs.getString(7)});
        }
      }
    }
    List<String> broken = new ArrayList<>();
    for (Map.Entry<List<String>, List<String[]>> key : keys.entrySet()) {
      List<String> name = key.getKey();
      TableRef child = TableRef.of(name.get(0), name.get(1));
      TableRef parent = TableRef.of(name.get(3), name.get(4));
      String present =
          key.getValue().stream()
              .map(k -> "ml_c." + dialect.quote(k[0]) + " IS NOT NULL")
              .collect(Collectors.joining(" AND "));
      String match =
          key.getValue().stream()
              .map(k -> "ml_p." + dialect.quote(k[1]) + " = ml_c." + dialect.quote(k[0]))
              .collect(Collectors.joining(" AND "));
      String columns =
          key.getValue().stream()
              .map(k -> "ml_c." + dialect.quote(k[0]))
              .collect(Collectors.joining(", "));
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT CONCAT_WS(', ', "
                      + columns
                      + ") FROM "
                      + dialect.qualified(child)
                      + " ml_c WHERE "
                      + present
                      + " AND NOT EXISTS (SELECT 1 FROM "
                      + dialect.qualified(parent)
                      + " ml_p WHERE "
                      + match
                      + ") LIMIT 1 LOCK IN SHARE MODE")) {
        if (rs.next()) {
          broken.add(
              "foreign key "
                  + name.get(2)
                  + " of table "
                  + name.get(1)
                  + " (a row refers to "
                  + rs.getString(1)
                  + ")");
        }
      }
    }
    return broken;
  }

  /**
   * The first column of {@code sql}'s rows, its parameters {@code pairs} times the target's schema
   * and name.
   */
  private static List<String> names(Connection c, TableRef target, int pairs, String sql)
      throws SQLException {
    String schema = target.schema() == null ? c.getCatalog() : target.schema();
    List<String> found = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < pairs; i++) {
        ps.setString(2 * i + 1, schema);
        ps.setString(2 * i + 2, target.table());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
    }
    return found;
  }

  @Override
  public List<String> swap(TableRef target, TableRef staging, TableRef retired) {
    return List.of(
        "RENAME TABLE "
            + dialect.qualified(target)
            + " TO "
            + dialect.qualified(retired)
            + ", "
            + dialect.qualified(staging)
            + " TO "
            + dialect.qualified(target));
  }

  @Override
  public String renameTable(TableRef from, TableRef to) {
    return "RENAME TABLE " + dialect.qualified(from) + " TO " + dialect.qualified(to);
  }

  @Override
  public void limitLockWait(Connection connection, long millis) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SET SESSION lock_wait_timeout = " + Math.max(1, (millis + 999) / 1000));
    }
  }

  @Override
  public boolean isLockTimeout(SQLException e) {
    return e.getErrorCode() == 1205;
  }

  @Override
  public boolean transactionalDdl() {
    return false;
  }

  @Override
  public List<String> createPlainStaging(
      Connection connection, TableRef target, TableSchema targetSchema, TableRef staging) {
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
    List<String> set = new ArrayList<>();
    for (String c : columns) {
      if (!key.contains(c) && !insertOnly.contains(c)) {
        set.add(dialect.quote(c) + " = VALUES(" + dialect.quote(c) + ")");
      }
    }
    if (set.isEmpty()) {
      set.add(dialect.quote(key.get(0)) + " = " + dialect.quote(key.get(0)));
    }
    String cols = columns.stream().map(dialect::quote).collect(Collectors.joining(", "));
    return "INSERT INTO "
        + dialect.qualified(target)
        + " ("
        + cols
        + ") "
        + select
        + " ON DUPLICATE KEY UPDATE "
        + String.join(", ", set);
  }
}

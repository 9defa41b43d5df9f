package io.metaload.metadata.dialect;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/** MariaDB and MySQL: multi-row batched inserts, one atomic {@code RENAME TABLE} for the swap. */
public final class MariaDbDialect extends Dialect {
  private static final long serialVersionUID = 1L;

  @Override
  public FenceQueries fenceQueries() {
    return new MariaDbFenceQueries();
  }

  @Override
  public String name() {
    return "mariadb";
  }

  @Override
  public String quote(String identifier) {
    return '`' + identifier.replace("`", "``") + '`';
  }

  @Override
  public Optional<String> explainRows(String select) {
    return Optional.of("EXPLAIN " + select);
  }

  /**
   * The first row's {@code rows} (rows examined), times its {@code filtered} share where EXPLAIN
   * gives one.
   */
  @Override
  public long explainedRows(ResultSet explained) throws SQLException {
    if (!explained.next()) {
      throw new SQLException("EXPLAIN returned nothing");
    }
    double filtered = 100;
    ResultSetMetaData columns = explained.getMetaData();
    for (int i = 1; i <= columns.getColumnCount(); i++) {
      if ("filtered".equalsIgnoreCase(columns.getColumnLabel(i))
          && explained.getObject(i) != null) {
        filtered = explained.getDouble(i);
      }
    }
    return (long) Math.ceil(explained.getLong("rows") * filtered / 100);
  }

  @Override
  protected String foldCase(String identifier) {
    return identifier;
  }

  @Override
  protected String catalogFor(Connection connection, TableRef table) throws SQLException {
    return table.schema() == null ? connection.getCatalog() : table.schema();
  }

  @Override
  protected String schemaPatternFor(Connection connection, TableRef table) {
    return null;
  }

  @Override
  public String sqlType(Column c) {
    switch (c.type()) {
      case BIGINT:
        return "bigint";
      case INTEGER:
        return "int";
      case SMALLINT:
        return c.typeName().equals("year") ? "year" : "smallint";
      case DECIMAL:
        return c.size() > 0 && c.size() <= 65
            ? "decimal(" + c.size() + "," + Math.min(c.scale(), 30) + ")"
            : "decimal(65,30)";
      case DOUBLE:
        return "double";
      case REAL:
        return "float";
      case BOOLEAN:
        return "boolean";
      case STRING:
        if (c.size() <= 0 || c.size() > 16_000) {
          return "longtext";
        }
        return (c.fixedLength() ? "char(" : "varchar(") + c.size() + ")";
      case UUID:
        return "char(36)";
      case JSON:
        return "longtext";
      case TIME:
        return "time(6)";
      case TEXT_FORM:
        return "longtext";
      case DATE:
        return "date";
      case TIMESTAMP:
        return "datetime(6)";
      case TIMESTAMP_TZ:
        return "datetime(6)";
      default:
        return "longblob";
    }
  }

  @Override
  public String driverClass() {
    return "org.mariadb.jdbc.Driver";
  }

  @Override
  public void labelSessions(Properties connectionProperties, String label) {
    connectionProperties.setProperty("connectionAttributes", "program_name:" + label);
  }

  /** MariaDB has no timestamp with a zone: instants are stored as their UTC local time. */
  @Override
  public Object instantParameter(OffsetDateTime value) {
    return value.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
  }

  /** Neither MariaDB's {@code double} nor its {@code decimal} holds NaN or an infinity. */
  @Override
  public boolean holdsNonFinite(ColumnType type) {
    return false;
  }

  @Override
  public String timestampType(int fractionDigits) {
    return "DATETIME(" + fractionDigits + ")";
  }

  @Override
  public String binaryType() {
    return "LONGBLOB";
  }

  @Override
  public int streamingFetchSize(int requested) {
    return requested;
  }

  @Override
  protected List<String> createStaging(
      TableRef target, TableSchema targetSchema, TableRef staging) {
    return List.of("CREATE TABLE " + qualified(staging) + " LIKE " + qualified(target));
  }

  /** The table's name, with {@code PARTITION (p)} for a partition of it. */
  @Override
  public String qualified(TableRef table) {
    if (table.partition() == null) {
      return super.qualified(table);
    }
    return super.qualified(TableRef.of(table.schema(), table.table()))
        + " PARTITION ("
        + quote(table.partition())
        + ")";
  }

  /**
   * The leaf partitions of a partitioned table: its subpartitions where it has them, else its
   * partitions, in their order.
   */
  @Override
  public List<TableRef> sourcePartitions(Connection connection, TableRef table)
      throws SQLException {
    List<TableRef> out = new ArrayList<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT COALESCE(SUBPARTITION_NAME, PARTITION_NAME) FROM "
                + "information_schema.PARTITIONS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND PARTITION_NAME IS NOT NULL "
                + "ORDER BY PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(table.withPartition(rs.getString(1)));
        }
      }
    }
    if (out.isEmpty()) {
      throw MetaloadException.badConfig(
          "strategy 'source' needs a partitioned table; "
              + table
              + " is not partitioned (use strategy 'none', or 'list' or 'range' to cut it)");
    }
    return out;
  }

  @Override
  public String sourcePartitionText(TableRef partition) {
    return partition.partition();
  }

  @Override
  public TableRef sourcePartition(TableRef table, String text) {
    return table.withPartition(text);
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
    String columns = columnList(readSchema(c, target).orElseThrow().columns());
    return List.of(
        "SET STATEMENT foreign_key_checks = 0 FOR DELETE FROM " + qualified(target),
        "SET STATEMENT foreign_key_checks = 0 FOR INSERT INTO "
            + qualified(target)
            + " ("
            + columns
            + ") SELECT "
            + columns
            + " FROM "
            + qualified(staging));
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
              .map(k -> "ml_c." + quote(k[0]) + " IS NOT NULL")
              .collect(Collectors.joining(" AND "));
      String match =
          key.getValue().stream()
              .map(k -> "ml_p." + quote(k[1]) + " = ml_c." + quote(k[0]))
              .collect(Collectors.joining(" AND "));
      String columns =
          key.getValue().stream().map(k -> "ml_c." + quote(k[0])).collect(Collectors.joining(", "));
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT CONCAT_WS(', ', "
                      + columns
                      + ") FROM "
                      + qualified(child)
                      + " ml_c WHERE "
                      + present
                      + " AND NOT EXISTS (SELECT 1 FROM "
                      + qualified(parent)
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
            + qualified(target)
            + " TO "
            + qualified(retired)
            + ", "
            + qualified(staging)
            + " TO "
            + qualified(target));
  }

  @Override
  public String renameTable(TableRef from, TableRef to) {
    return "RENAME TABLE " + qualified(from) + " TO " + qualified(to);
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
            + qualified(staging)
            + " AS SELECT * FROM "
            + qualified(target)
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
        set.add(quote(c) + " = VALUES(" + quote(c) + ")");
      }
    }
    if (set.isEmpty()) {
      set.add(quote(key.get(0)) + " = " + quote(key.get(0)));
    }
    String cols = columns.stream().map(this::quote).collect(Collectors.joining(", "));
    return "INSERT INTO "
        + qualified(target)
        + " ("
        + cols
        + ") "
        + select
        + " ON DUPLICATE KEY UPDATE "
        + String.join(", ", set);
  }

  /**
   * {@code BIT(n)} up to 63 bits moves as its unsigned value, a {@code bigint}; {@code BIT(64)} has
   * no signed home and is refused.
   */
  @Override
  protected ColumnType bitStringType(int bits) {
    return bits <= 63 ? ColumnType.BIGINT : null;
  }

  @Override
  public void limitStatementTime(Connection connection, int seconds) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SET SESSION max_statement_time = " + seconds);
    }
  }
}

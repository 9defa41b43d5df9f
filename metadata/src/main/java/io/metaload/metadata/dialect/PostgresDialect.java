package io.metaload.metadata.dialect;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** PostgreSQL: COPY for bulk loads, transactional DDL for the swap. */
public final class PostgresDialect extends Dialect {
  private static final long serialVersionUID = 1L;

  @Override
  public FenceQueries fenceQueries() {
    return new PostgresFenceQueries(this);
  }

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  protected String foldCase(String identifier) {
    return identifier.toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean supportsCopy() {
    return true;
  }

  @Override
  public String driverClass() {
    return "org.postgresql.Driver";
  }

  @Override
  public void labelSessions(Properties connectionProperties, String label) {
    connectionProperties.setProperty("ApplicationName", label);
  }

  @Override
  public Optional<SharedSnapshots> sharedSnapshots() {
    return Optional.of(new PostgresSnapshots());
  }

  @Override
  public boolean readsInHeapOrder() {
    return true;
  }

  @Override
  public Optional<String> pageSample(double percent) {
    return Optional.of(
        " TABLESAMPLE SYSTEM (" + String.format(Locale.ROOT, "%.6f", percent) + ") REPEATABLE (1)");
  }

  @Override
  public boolean readsBinaryCopy() {
    return true;
  }

  /** {@code numeric} holds NaN and (since PostgreSQL 14) the infinities, as floats do. */
  @Override
  public boolean holdsNonFinite(ColumnType type) {
    return super.holdsNonFinite(type) || type == ColumnType.DECIMAL;
  }

  @Override
  public boolean takesBinaryCopyFrom(Dialect source) {
    return source instanceof PostgresDialect;
  }

  @Override
  public String binaryType() {
    return "BYTEA";
  }

  /**
   * The type under a domain, following domains over domains down to the base type, with the length
   * or precision of the innermost type modifier on the way (the catalog's {@code
   * information_schema.columns} goes down one level only).
   */
  @Override
  protected Column domainBase(Connection c, String schema, String table, String column)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "WITH RECURSIVE chain(oid, typtype, base, typmod, depth) AS ("
                + "SELECT t.oid, t.typtype, t.typbasetype, CASE WHEN a.atttypmod >= 0 THEN a.atttypmod ELSE t.typtypmod END, 0 "
                + "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = ?::regclass AND a.attname = ? "
                + "UNION ALL SELECT t.oid, t.typtype, t.typbasetype, CASE WHEN chain.typmod >= 0 THEN chain.typmod ELSE t.typtypmod END, depth + 1 "
                + "FROM chain JOIN pg_type t ON t.oid = chain.base WHERE chain.typtype = 'd' AND depth < 32) "
                + "SELECT typname, COALESCE(information_schema._pg_char_max_length(chain.oid, chain.typmod), "
                + "information_schema._pg_numeric_precision(chain.oid, chain.typmod), 0), "
                + "COALESCE(information_schema._pg_numeric_scale(chain.oid, chain.typmod), 0) "
                + "FROM chain JOIN pg_type t ON t.oid = chain.oid WHERE chain.typtype <> 'd' ORDER BY depth DESC LIMIT 1")) {
      ps.setString(1, qualified(TableRef.of(schema, table)));
      ps.setString(2, column);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        String base = rs.getString(1).toLowerCase(Locale.ROOT);
        boolean numeric = base.equals("numeric") || base.equals("varchar") || base.equals("bpchar");
        return Column.of(
            column,
            ColumnType.STRING,
            numeric ? rs.getInt(2) : 0,
            numeric ? rs.getInt(3) : 0,
            true,
            false,
            base);
      }
    }
  }

  /**
   * The driver reports an enum as a {@code varchar} named after its type; the catalog says which
   * columns are enums, or domains over one (through any chain of domains).
   */
  @Override
  protected List<Column> markEnums(Connection c, TableRef t, List<Column> columns)
      throws SQLException {
    if (columns.stream()
        .noneMatch(
            col ->
                col.type() == ColumnType.STRING
                    && !Set.of("varchar", "bpchar", "text").contains(col.typeName()))) {
      return columns;
    }
    Set<String> enums = new HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = ?::regclass "
                + "AND a.attnum > 0 AND NOT a.attisdropped AND (WITH RECURSIVE d(oid, typtype, typbasetype, depth) AS ("
                + "SELECT t.oid, t.typtype, t.typbasetype, 0 FROM pg_type t WHERE t.oid = a.atttypid UNION ALL "
                + "SELECT b.oid, b.typtype, b.typbasetype, d.depth + 1 FROM pg_type b JOIN d ON b.oid = d.typbasetype "
                + "WHERE d.typtype = 'd' AND d.depth < 32) SELECT typtype FROM d WHERE typtype <> 'd' LIMIT 1) = 'e'")) {
      ps.setString(1, qualified(TableRef.of(schemaPatternFor(c, t), t.table())));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          enums.add(rs.getString(1));
        }
      }
    }
    List<Column> out = new ArrayList<>(columns.size());
    for (Column col : columns) {
      out.add(enums.contains(col.name()) ? col.asPgEnum() : col);
    }
    return out;
  }

  @Override
  protected int jdbcType(Connection c, String typeName) throws SQLException {
    return c.unwrap(org.postgresql.core.BaseConnection.class).getTypeInfo().getSQLType(typeName);
  }

  @Override
  public String sqlType(Column c) {
    switch (c.type()) {
      case BIGINT:
        return "bigint";
      case INTEGER:
        return "integer";
      case SMALLINT:
        return "smallint";
      case DECIMAL:
        return c.size() > 0 && c.size() <= 1000
            ? "numeric(" + c.size() + "," + c.scale() + ")"
            : "numeric";
      case DOUBLE:
        return "double precision";
      case REAL:
        return "real";
      case BOOLEAN:
        return "boolean";
      case STRING:
        if (c.size() <= 0 || c.size() > 10_485_760) {
          return "text";
        }
        return (c.fixedLength() ? "char(" : "varchar(") + c.size() + ")";
      case UUID:
        return "uuid";
      case JSON:
        return c.typeName().equals("json") ? "json" : "jsonb";
      case TIME:
        return "time(6)";
      case TEXT_FORM:
        if (c.typeName().equals("bit")) {
          return "bit(" + Math.max(1, c.size()) + ")";
        }
        if (ColumnType.isOtherPgArray(c.typeName())) {
          return "text[]";
        }
        return c.typeName().isEmpty() ? "text" : c.typeName();
      case DATE:
        return "date";
      case TIMESTAMP:
        return "timestamp(6)";
      case TIMESTAMP_TZ:
        return "timestamptz(6)";
      default:
        return "bytea";
    }
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
            + qualified(staging)
            + " (LIKE "
            + qualified(target)
            + " INCLUDING ALL EXCLUDING GENERATED"
            + (deferKey ? " EXCLUDING INDEXES)" : ")"));
  }

  @Override
  protected List<String> createStaging(
      TableRef target, TableSchema targetSchema, TableRef staging) {
    return List.of(
        "CREATE TABLE "
            + qualified(staging)
            + " (LIKE "
            + qualified(target)
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
            + qualified(staging)
            + " ADD PRIMARY KEY ("
            + targetSchema.primaryKey().stream().map(this::quote).collect(Collectors.joining(", "))
            + ")");
  }

  private boolean onlyIndexIsPrimaryKey(Connection c, TableRef table) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FILTER (WHERE NOT indisprimary), count(*) FILTER (WHERE indisprimary) FROM pg_index WHERE indrelid = ?::regclass")) {
      ps.setString(1, qualified(table));
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
      ps.setString(1, qualified(table));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  @Override
  public Optional<String> explainRows(String select) {
    return Optional.of("EXPLAIN (FORMAT JSON) " + select);
  }

  /** The top plan node's {@code Plan Rows}. */
  @Override
  public long explainedRows(ResultSet explained) throws SQLException {
    if (!explained.next()) {
      throw new SQLException("EXPLAIN returned nothing");
    }
    Matcher m = Pattern.compile("\"Plan Rows\":\\s*([0-9.eE+]+)").matcher(explained.getString(1));
    if (!m.find()) {
      throw new SQLException("EXPLAIN gave no row estimate: " + explained.getString(1));
    }
    return (long) Math.ceil(Double.parseDouble(m.group(1)));
  }

  @Override
  public List<String> swapLeavesBehind(Connection c, TableRef target) throws SQLException {
    return new PostgresInPlaceSwap(this).leftBehind(c, target);
  }

  @Override
  public List<String> replaceContents(Connection c, TableRef target, TableRef staging)
      throws SQLException {
    return new PostgresInPlaceSwap(this).replaceContents(c, target, staging);
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
        "ALTER TABLE " + qualified(target) + " RENAME TO " + quote(retired.table()),
        "ALTER TABLE " + qualified(staging) + " RENAME TO " + quote(target.table()),
        keepIndexNames(target, retired));
  }

  private String keepIndexNames(TableRef target, TableRef retired) {
    String retiredTable = stringLiteral(qualified(TableRef.of(target.schema(), retired.table())));
    return "DO $metaload_swap$ DECLARE r record; BEGIN FOR r IN "
        + "WITH o AS ("
        + indexesOf(retiredTable)
        + "), n AS ("
        + indexesOf(stringLiteral(qualified(target)))
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
            + qualified(staging)
            + " (LIKE "
            + qualified(target)
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
        set.add(quote(c) + " = EXCLUDED." + quote(c));
      }
    }
    String cols = columns.stream().map(this::quote).collect(Collectors.joining(", "));
    return "INSERT INTO "
        + qualified(target)
        + " ("
        + cols
        + ") "
        + (insertOnly.isEmpty() ? "" : "OVERRIDING SYSTEM VALUE ")
        + select
        + " ON CONFLICT ("
        + key.stream().map(this::quote).collect(Collectors.joining(", "))
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
      ps.setString(1, qualified(target));
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
      ps.setString(1, qualified(target));
      ps.setString(2, qualified(target));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String sequence = rs.getString(2);
          out.add(
              "SELECT setval('"
                  + sequence.replace("'", "''")
                  + "', GREATEST((SELECT max("
                  + rs.getString(1)
                  + ") FROM "
                  + qualified(target)
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
      ps.setString(1, qualified(target));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /**
   * {@code bit(n)} moves as its text, {@code '1010...'}, which a PostgreSQL {@code bit(n)} target
   * reads back.
   */
  @Override
  protected ColumnType bitStringType(int bits) {
    return ColumnType.TEXT_FORM;
  }

  @Override
  public void limitStatementTime(Connection connection, int seconds) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SET statement_timeout = '" + seconds + "s'");
    }
  }

  /**
   * The leaf partitions of a declarative partitioned table, by schema and name; each is a table of
   * its own.
   */
  @Override
  public List<TableRef> sourcePartitions(Connection connection, TableRef table)
      throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT relkind FROM pg_class WHERE oid = ?::regclass")) {
      ps.setString(1, qualified(table));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || !"p".equals(rs.getString(1))) {
          throw MetaloadException.badConfig(
              "strategy 'source' needs a partitioned table; "
                  + table
                  + " is not partitioned (use strategy 'none', or 'list' or 'range' to cut it)");
        }
      }
    }
    List<TableRef> out = new ArrayList<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT n.nspname, c.relname FROM pg_partition_tree(?::regclass) t "
                + "JOIN pg_class c ON c.oid = t.relid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE t.isleaf ORDER BY n.nspname, c.relname")) {
      ps.setString(1, qualified(table));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(TableRef.of(rs.getString(1), rs.getString(2)));
        }
      }
    }
    if (out.isEmpty()) {
      throw MetaloadException.badConfig(
          "partitioned table " + table + " has no partitions to load");
    }
    return out;
  }

  /**
   * UUIDs bind as {@code uuid}, which a {@code uuid} column compares with (it has no comparison
   * with text).
   */
  @Override
  public void bindKey(PreparedStatement ps, int i, ColumnType type, Object value)
      throws SQLException {
    if (type == ColumnType.UUID && value != null) {
      ps.setObject(
          i, value instanceof java.util.UUID ? value : java.util.UUID.fromString(value.toString()));
    } else if (type == ColumnType.TEXT_FORM && value != null) {
      ps.setObject(i, value.toString(), Types.OTHER);
    } else {
      super.bindKey(ps, i, type, value);
    }
  }

  /** A row comparison, which PostgreSQL reads as one index range over all the columns. */
  @Override
  public String tupleBound(List<String> columns, boolean lower, IntFunction<String> value) {
    if (columns.size() == 1) {
      return super.tupleBound(columns, lower, value);
    }
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      values.append(i == 0 ? "" : ", ").append(value.apply(i));
    }
    return "(" + String.join(", ", columns) + ") " + (lower ? ">=" : "<") + " (" + values + ")";
  }

  /**
   * A key value as a SQL literal, for {@code COPY (SELECT ...)}, which takes no parameters: strings
   * as escape strings ({@code E'...'}, backslashes and quotes doubled, so the text means itself
   * whatever {@code standard_conforming_strings} says), UUIDs and bytes cast from their canonical
   * text, temporal values with their type's keyword, numbers as digits.
   */
  @Override
  public String keyLiteral(ColumnType type, Object value) {
    switch (type) {
      case STRING:
      case TEXT_FORM:
        return "E'" + value.toString().replace("\\", "\\\\").replace("'", "''") + "'";
      case UUID:
        return "'" + java.util.UUID.fromString(value.toString()) + "'::uuid";
      case BYTES:
        return "E'\\\\x" + HexFormat.of().formatHex((byte[]) value) + "'::bytea";
      case DATE:
        return "DATE '" + value + "'";
      case TIMESTAMP:
        return "TIMESTAMP '" + value + "'";
      case TIMESTAMP_TZ:
        return "TIMESTAMPTZ '" + value + "'";
      case BIGINT:
      case INTEGER:
      case SMALLINT:
        return Long.toString(((Number) value).longValue());
      case DECIMAL:
        return ((BigDecimal) value).toPlainString();
      default:
        throw new IllegalArgumentException("no literal for key values of type " + type);
    }
  }
}

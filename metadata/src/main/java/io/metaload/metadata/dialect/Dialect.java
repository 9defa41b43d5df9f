package io.metaload.metadata.dialect;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * What differs between databases: identifier quoting, catalog lookup, type mapping, staging DDL,
 * the atomic swap and the streaming read setup. Obtain one with {@link #forUrl(String)}.
 */
public abstract class Dialect implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int MAX_IDENTIFIER = 63;

  /**
   * The dialect for a JDBC URL, from the {@link DialectProvider} registered for its prefix
   * (PostgreSQL, MariaDB and H2 are built in); any other URL is bad configuration.
   */
  public static Dialect forUrl(String jdbcUrl) {
    return Dialects.forUrl(jdbcUrl);
  }

  public abstract String name();

  /** The class name of this database's JDBC driver. */
  public abstract String driverClass();

  /**
   * Sets the connection properties that make sessions opened with them show as {@code label} in the
   * database's session list (e.g. {@code metaload reader}); nothing where it has none.
   */
  public void labelSessions(Properties connectionProperties, String label) {}

  /** How many sessions read one moment of this database; empty where they cannot share one. */
  public Optional<SharedSnapshots> sharedSnapshots() {
    return Optional.empty();
  }

  /**
   * Whether a table can be read in its physical order by ranges of row addresses, one range per
   * read unit, instead of by a key (PostgreSQL's TID range scans).
   */
  public boolean readsInHeapOrder() {
    return false;
  }

  /**
   * The clause after a table name that samples about {@code percent} of its pages, the same pages
   * on every call; empty where the database cannot sample pages.
   */
  public Optional<String> pageSample(double percent) {
    return Optional.empty();
  }

  /** The clause that ends an ordered query after its first {@code rows} rows. */
  public String firstRows(long rows) {
    return " LIMIT " + rows;
  }

  /** The clause that makes an ordered query skip {@code skip} rows and return the next one. */
  public String rowAfter(long skip) {
    return " LIMIT 1 OFFSET " + skip;
  }

  /**
   * Whether this database writes a table as PostgreSQL's binary {@code COPY} tuples, which a target
   * of the same kind takes unchanged and metaload can decode without JDBC.
   */
  public boolean readsBinaryCopy() {
    return false;
  }

  /**
   * Whether this target takes {@code source}'s binary {@code COPY} tuples unchanged (a
   * pass-through).
   */
  public boolean takesBinaryCopyFrom(Dialect source) {
    return false;
  }

  /**
   * A key value as an SQL literal, for statements that take no parameters (a {@code COPY} of a
   * query); only dialects that {@link #readsBinaryCopy()} need one.
   */
  public String keyLiteral(ColumnType type, Object value) {
    throw new UnsupportedOperationException(name() + " writes no key literals");
  }

  /**
   * A timestamp with a time zone as this database's parameter for a column of type {@link #sqlType}
   * {@code TIMESTAMP_TZ} takes it: unchanged where the column keeps an instant; databases without
   * such a type store the UTC local time.
   */
  public Object instantParameter(OffsetDateTime value) {
    return value;
  }

  /**
   * Whether a column of {@code type} here holds NaN and the infinities ({@link
   * ColumnType#isNonFinite}): floating-point columns do by default, decimals do not. A value a
   * column cannot hold is refused as the row's data error, never stored as something else.
   */
  public boolean holdsNonFinite(ColumnType type) {
    return type == ColumnType.DOUBLE || type == ColumnType.REAL;
  }

  /** The SQL type of a timestamp of {@code fractionDigits} digits, for metaload's own tables. */
  public String timestampType(int fractionDigits) {
    return "TIMESTAMP(" + fractionDigits + ")";
  }

  /** The SQL type of a binary value of any length, for metaload's own tables. */
  public String binaryType() {
    return "BLOB";
  }

  /**
   * What a delta fence asks this database; none of its questions by default (no transaction
   * monitoring).
   */
  public FenceQueries fenceQueries() {
    return new FenceQueries();
  }

  /** Quotes an identifier; SQL's double quotes unless the database differs. */
  public String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /**
   * The table's name as SQL; a partition of it, where the dialect can select one, as its partition
   * clause too.
   */
  public String qualified(TableRef table) {
    if (table.partition() != null) {
      throw new IllegalArgumentException(
          name() + " cannot select partition " + table.partition() + " of " + table);
    }
    return table.schema() == null
        ? quote(table.table())
        : quote(table.schema()) + "." + quote(table.table());
  }

  public String columnList(List<Column> columns) {
    return columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
  }

  /**
   * Compares the tuple of {@code columns} (quoted) with a bound tuple: {@code >=} for a lower
   * bound, {@code <} for an upper one, in the columns' own order and collations. {@code value}
   * gives the SQL of the bound's {@code i}-th element (a parameter marker or a literal) and is
   * called in the order the elements appear in the text. This form repeats the leading column as a
   * plain range, so that databases which do not plan row comparisons still read one index range.
   */
  public String tupleBound(List<String> columns, boolean lower, IntFunction<String> value) {
    if (columns.size() == 1) {
      return columns.get(0) + (lower ? " >= " : " < ") + value.apply(0);
    }
    String leading = columns.get(0) + (lower ? " >= " : " <= ") + value.apply(0);
    return "(" + leading + " AND " + expandedBound(columns, 0, lower, value) + ")";
  }

  private static String expandedBound(
      List<String> columns, int i, boolean lower, IntFunction<String> value) {
    String c = columns.get(i);
    if (i == columns.size() - 1) {
      return c + (lower ? " >= " : " < ") + value.apply(i);
    }
    String strict = c + (lower ? " > " : " < ") + value.apply(i);
    String equal = c + " = " + value.apply(i);
    return "("
        + strict
        + " OR ("
        + equal
        + " AND "
        + expandedBound(columns, i + 1, lower, value)
        + "))";
  }

  /**
   * The type a bit string of {@code bits} bits ({@code bit(n)}, n > 1, which JDBC reports like a
   * boolean) is moved as, or null where this database's bit strings cannot be moved.
   */
  protected ColumnType bitStringType(int bits) {
    return null;
  }

  /**
   * Ends any statement on this connection that runs longer than {@code seconds}, from the next
   * statement on (a session setting where the database has one; otherwise each statement's JDBC
   * query timeout does it).
   */
  public void limitStatementTime(Connection connection, int seconds) throws SQLException {}

  /** Binds a key value for comparison with a column of {@code type}. */
  public void bindKey(PreparedStatement ps, int i, ColumnType type, Object value)
      throws SQLException {
    type.bind(ps, i, value);
  }

  /** SQL type for a column in this database. */
  public abstract String sqlType(Column column);

  /** True when the target loads through {@code COPY FROM STDIN} rather than batched inserts. */
  public boolean supportsCopy() {
    return false;
  }

  /** Sets a connection up for reading a large result set with bounded memory. */
  public void prepareStreamingRead(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
  }

  /** The fetch size to pass to {@link java.sql.Statement#setFetchSize(int)} for streaming. */
  public int streamingFetchSize(int requested) {
    return requested;
  }

  /** Case in which the catalog stores unquoted identifiers, tried after the exact spelling. */
  protected abstract String foldCase(String identifier);

  /**
   * The spelling a new table or column gets: names written in one case are folded the way this
   * database folds unquoted names, so users can query them without quotes; mixed case is kept.
   */
  public String newName(String name) {
    boolean oneCase =
        name.equals(name.toUpperCase(Locale.ROOT)) || name.equals(name.toLowerCase(Locale.ROOT));
    return oneCase ? foldCase(name) : name;
  }

  public TableRef newTable(TableRef table) {
    return TableRef.of(
        table.schema() == null ? null : newName(table.schema()), newName(table.table()));
  }

  /**
   * The table as the catalog spells it (exactly as written, else folded), or empty if it does not
   * exist.
   */
  public Optional<TableRef> resolve(Connection connection, TableRef table) throws SQLException {
    DatabaseMetaData md = connection.getMetaData();
    for (TableRef candidate : spellings(table)) {
      if (!readColumns(md, connection, candidate).isEmpty()) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Reads the columns and primary key of a table spelled as the catalog spells it ({@link
   * #resolve}).
   */
  public Optional<TableSchema> readSchema(Connection connection, TableRef table)
      throws SQLException {
    DatabaseMetaData md = connection.getMetaData();
    List<Column> columns = readColumns(md, connection, table);
    if (columns.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(TableSchema.of(columns, readPrimaryKey(md, connection, table)));
  }

  /**
   * True when some index of {@code table} (as {@link #resolve} spells it) has {@code column} as its
   * first column.
   */
  /**
   * The partitions of a partitioned source table, each as a table reference the reads and counts
   * can name ({@code partitioning: { strategy: source }}); a bad-config error where the table is
   * not partitioned or the database has no partitions to read one by one.
   */
  public List<TableRef> sourcePartitions(Connection connection, TableRef table)
      throws SQLException {
    throw MetaloadException.badConfig(
        "strategy 'source' reads a PostgreSQL or MariaDB partitioned table; "
            + name()
            + " table "
            + table
            + " has no partitions metaload can read one by one");
  }

  /** How a plan stores partition {@code partition} of {@link #sourcePartitions}, as text. */
  public String sourcePartitionText(TableRef partition) {
    return partition.toString();
  }

  /**
   * The statement that asks this database's planner how many rows {@code select} returns (its
   * parameters bound as for {@code select}), or empty where it cannot say; read the answer with
   * {@link #explainedRows}. For a count the source stopped past its time limit.
   */
  public Optional<String> explainRows(String select) {
    return Optional.empty();
  }

  /** The planner's estimate of the rows, from the result of {@link #explainRows}'s statement. */
  public long explainedRows(ResultSet explained) throws SQLException {
    throw new SQLException(getClass().getSimpleName() + " gives no row estimates");
  }

  /** The partition of {@code table} that {@link #sourcePartitionText} wrote as {@code text}. */
  public TableRef sourcePartition(TableRef table, String text) {
    return TableRef.parse(text);
  }

  public boolean hasIndexLeadingWith(Connection connection, TableRef table, String column)
      throws SQLException {
    DatabaseMetaData md = connection.getMetaData();
    try (ResultSet rs =
        md.getIndexInfo(
            catalogFor(connection, table),
            schemaPatternFor(connection, table),
            table.table(),
            false,
            true)) {
      while (rs.next()) {
        if (rs.getShort("ORDINAL_POSITION") == 1
            && column.equalsIgnoreCase(rs.getString("COLUMN_NAME"))) {
          return true;
        }
      }
    }
    return false;
  }

  private List<TableRef> spellings(TableRef table) {
    List<TableRef> out = new ArrayList<>();
    out.add(table);
    String schema = table.schema() == null ? null : foldCase(table.schema());
    TableRef folded = TableRef.of(schema, foldCase(table.table()));
    if (!folded.equals(table)) {
      out.add(folded);
    }
    return out;
  }

  protected String catalogFor(Connection connection, TableRef table) throws SQLException {
    return null;
  }

  protected String schemaPatternFor(Connection connection, TableRef table) throws SQLException {
    return table.schema() == null ? connection.getSchema() : table.schema();
  }

  private List<Column> readColumns(DatabaseMetaData md, Connection c, TableRef t)
      throws SQLException {
    List<Column> columns = new ArrayList<>();
    try (ResultSet rs = md.getColumns(catalogFor(c, t), schemaPatternFor(c, t), t.table(), null)) {
      TreeMap<Integer, Column> byPosition = new TreeMap<>();
      while (rs.next()) {
        if (!t.table().equals(rs.getString("TABLE_NAME"))) {
          continue;
        }
        String name = rs.getString("COLUMN_NAME");
        int sqlType = rs.getInt("DATA_TYPE");
        String typeName = rs.getString("TYPE_NAME");
        int size = rs.getInt("COLUMN_SIZE");
        int scale = rs.getInt("DECIMAL_DIGITS");
        Column base =
            sqlType == Types.DISTINCT
                ? domainBase(c, schemaPatternFor(c, t), t.table(), name)
                : null;
        if (base != null) {
          sqlType = rs.getInt("SOURCE_DATA_TYPE");
          typeName = base.typeName();
          if (sqlType == Types.DISTINCT || sqlType == 0) {
            sqlType = jdbcType(c, typeName);
          }
          size = base.size() > 0 ? base.size() : size;
          scale = base.size() > 0 ? base.scale() : scale;
        }
        ColumnType type = ColumnType.fromJdbc(sqlType, typeName);
        if (sqlType == Types.BIT && rs.getInt("COLUMN_SIZE") > 1) {
          type = bitStringType(rs.getInt("COLUMN_SIZE"));
        }
        if (type == null) {
          throw MetaloadException.badConfig(
              "table "
                  + t
                  + " column "
                  + name
                  + " has type "
                  + typeName
                  + ", which metaload cannot load; it loads integers, "
                  + "decimals, floating point, booleans, strings and enums, dates, times and timestamps, UUIDs, JSON, bytes, "
                  + "PostgreSQL's interval, network, range, geometric, bit string and XML types, arrays, and "
                  + "domains over these (configuration.md, 'Column types'); exclude the column with a view, or cast it there");
        }
        String lowerType = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        boolean fixed =
            sqlType == Types.CHAR || sqlType == Types.NCHAR || lowerType.equals("bpchar");
        byPosition.put(
            rs.getInt("ORDINAL_POSITION"),
            Column.of(
                name,
                type,
                size,
                scale,
                rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
                fixed,
                lowerType));
      }
      columns.addAll(byPosition.values());
    }
    return markEnums(c, t, columns);
  }

  /**
   * {@code columns} with those of a PostgreSQL enum type marked ({@link Column#pgEnum}); other
   * databases have none.
   */
  protected List<Column> markEnums(Connection c, TableRef t, List<Column> columns)
      throws SQLException {
    return columns;
  }

  /**
   * The type under a column whose type is a domain (a user-defined type over a built-in one), as a
   * column holding only its type name, length or precision and scale; null where the database has
   * no domains. The domain's own constraints stay with the source.
   */
  /**
   * The JDBC type of a base type named {@code typeName}, for a domain over a domain (the driver
   * reports the inner domain).
   */
  protected int jdbcType(Connection c, String typeName) throws SQLException {
    return Types.OTHER;
  }

  protected Column domainBase(Connection c, String schema, String table, String column)
      throws SQLException {
    return null;
  }

  private List<String> readPrimaryKey(DatabaseMetaData md, Connection c, TableRef t)
      throws SQLException {
    TreeMap<Integer, String> key = new TreeMap<>();
    try (ResultSet rs = md.getPrimaryKeys(catalogFor(c, t), schemaPatternFor(c, t), t.table())) {
      while (rs.next()) {
        key.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
      }
    }
    return new ArrayList<>(key.values());
  }

  /** {@code CREATE TABLE} for a new target with the given columns and primary key. */
  public String createTable(TableRef table, TableSchema schema) {
    StringBuilder sql = new StringBuilder("CREATE TABLE ").append(qualified(table)).append(" (");
    for (int i = 0; i < schema.columns().size(); i++) {
      Column c = schema.columns().get(i);
      sql.append(i == 0 ? "" : ", ").append(quote(c.name())).append(' ').append(sqlType(c));
      if (!c.nullable()) {
        sql.append(" NOT NULL");
      }
    }
    if (!schema.primaryKey().isEmpty()) {
      sql.append(", PRIMARY KEY (")
          .append(schema.primaryKey().stream().map(this::quote).collect(Collectors.joining(", ")))
          .append(')');
    }
    return sql.append(')').toString();
  }

  /** Creates the per-run staging table with the target's shape. */
  public List<String> createStaging(
      Connection connection, TableRef target, TableSchema targetSchema, TableRef staging)
      throws SQLException {
    return createStaging(target, targetSchema, staging);
  }

  protected abstract List<String> createStaging(
      TableRef target, TableSchema targetSchema, TableRef staging);

  /**
   * Statements that complete a loaded staging table before it is published, e.g. the primary key a
   * dialect builds after the bulk load rather than during it. Empty by default.
   */
  public List<String> completeStaging(
      Connection connection, TableRef staging, TableSchema targetSchema) throws SQLException {
    return List.of();
  }

  /**
   * Creates a delta run's staging table: the target's columns without keys or indexes, so a key
   * staged twice (a row read at two versions) can be resolved when it is merged.
   */
  public List<String> createPlainStaging(
      Connection connection, TableRef target, TableSchema targetSchema, TableRef staging)
      throws SQLException {
    List<Column> columns = new ArrayList<>(targetSchema.columns());
    return List.of(createTable(staging, TableSchema.of(columns, List.of())));
  }

  /**
   * One statement that inserts the rows {@code select} returns into {@code target}'s {@code
   * columns} and updates the rows whose {@code key} already exists there, leaving {@code
   * insertOnly} columns as they are in updated rows.
   */
  public abstract String upsert(
      TableRef target,
      List<String> columns,
      List<String> key,
      Set<String> insertOnly,
      String select);

  /**
   * A query that runs {@link #upsert} and returns one row: the rows it inserted and the rows it
   * updated; empty where the database cannot tell (the caller then counts matching keys itself).
   */
  public Optional<String> upsertCounting(
      Connection c,
      TableRef target,
      List<String> columns,
      List<String> key,
      Set<String> insertOnly,
      String select)
      throws SQLException {
    return Optional.empty();
  }

  /**
   * The columns of {@code target} whose values the database computes (generated columns): nothing
   * writes them.
   */
  public Set<String> generatedColumns(Connection c, TableRef target) throws SQLException {
    return Set.of();
  }

  /**
   * Statements that move each identity sequence of {@code target} past the greatest value its
   * column now holds (a load writes the source's values and leaves the sequence behind), so that
   * the next row inserted with its default does not collide; none where there is nothing to do.
   */
  public List<String> identityCatchUp(Connection c, TableRef target) throws SQLException {
    return List.of();
  }

  /**
   * The columns of {@code target} that take a value on insert but refuse an update (PostgreSQL
   * identity {@code ALWAYS}).
   */
  public Set<String> insertOnlyColumns(Connection c, TableRef target) throws SQLException {
    return Set.of();
  }

  /**
   * The per-run ledger of committed batch ids that makes batch writes idempotent; {@code rejects}
   * holds a batch's rejected rows as JSON, committed with its rows.
   */
  public String createLedger(TableRef ledger) {
    return "CREATE TABLE "
        + qualified(ledger)
        + " (batch_id VARCHAR(200) NOT NULL PRIMARY KEY, partition_id INTEGER NOT NULL, "
        + "key_first BIGINT NOT NULL, key_last BIGINT NOT NULL, rows_read BIGINT NOT NULL, rows_written BIGINT NOT NULL, rejects "
        + sqlType(Column.of("rejects", ColumnType.TEXT_FORM, 0, 0, true, false))
        + ")";
  }

  public String dropTableIfExists(TableRef table) {
    return "DROP TABLE IF EXISTS " + qualified(table);
  }

  /**
   * Statements that replace {@code target} by {@code staging} in one transaction; {@code retired}
   * is a free name the old target is renamed to (the caller drops it afterwards).
   */
  public abstract List<String> swap(TableRef target, TableRef staging, TableRef retired);

  /**
   * Bounds how long the publication's statements on {@code connection} wait for table locks; called
   * inside the publication's transaction. Does nothing where the database has no such setting.
   */
  public void limitLockWait(Connection connection, long millis) throws SQLException {}

  /** True when {@code e} says a statement gave up waiting for a lock ({@link #limitLockWait}). */
  public boolean isLockTimeout(SQLException e) {
    return false;
  }

  /** Renames a table within its schema. */
  public String renameTable(TableRef from, TableRef to) {
    return "ALTER TABLE " + qualified(from) + " RENAME TO " + quote(to.table());
  }

  /** True when {@link #swap} runs inside one transaction (DDL is transactional). */
  public abstract boolean transactionalDdl();

  /**
   * What renaming staging into {@code target}'s place would leave behind on the old table (views on
   * it, grants, triggers, partitions, ...); empty where a rename keeps everything a reader needs. A
   * non-empty answer publishes with {@link #replaceContents} instead.
   */
  public List<String> swapLeavesBehind(Connection c, TableRef target) throws SQLException {
    return List.of();
  }

  /**
   * Why a full load cannot be published into {@code target} at all without losing something that
   * belongs to it (refused at plan time, exit 2); empty where it can.
   */
  public Optional<String> swapRefusal(Connection c, TableRef target) throws SQLException {
    return Optional.empty();
  }

  /**
   * The statements that, inside one transaction, replace {@code target}'s rows with {@code
   * staging}'s and drop staging, keeping the target table itself; only where {@link
   * #swapLeavesBehind} can answer.
   */
  public List<String> replaceContents(Connection c, TableRef target, TableRef staging)
      throws SQLException {
    throw new UnsupportedOperationException(name() + " publishes full loads by renaming");
  }

  /**
   * After {@link #replaceContents}, in its transaction: the foreign keys to or from the target that
   * its new rows broke (a row without its parent), each named with one of the values, where the
   * database does not check them itself before the commit; empty where none is broken.
   */
  public List<String> brokenReferences(Connection c, TableRef target) throws SQLException {
    return List.of();
  }

  /**
   * A name derived from {@code base} with {@code suffix}, within identifier length limits; the
   * suffix follows an upper-case base so the name stays usable without quotes.
   */
  public static String derivedName(String base, String suffix) {
    if (base.equals(base.toUpperCase(Locale.ROOT)) && !base.equals(base.toLowerCase(Locale.ROOT))) {
      suffix = suffix.toUpperCase(Locale.ROOT);
    }
    int room = MAX_IDENTIFIER - suffix.length();
    return (base.length() > room ? base.substring(0, room) : base) + suffix;
  }
}

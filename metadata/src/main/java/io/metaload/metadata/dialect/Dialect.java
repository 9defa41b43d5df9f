package io.metaload.metadata.dialect;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.TableRef;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * What differs between databases, in three parts: this class answers for naming and quoting, type
 * mapping, capabilities and the SQL a source is read with (row limits, key bounds, sampling, time
 * limits, streaming reads); {@link #catalog()} reads the database's catalog ({@link
 * CatalogReader}); {@link #target()} writes the SQL of a target ({@link TargetSql}: staging, swaps,
 * merges). Delta fences are {@link #fenceQueries()}. Obtain one with {@link #forUrl(String)}.
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

  private final CatalogReader catalog = catalogReader();

  /** How this database's catalog is read: tables, columns, keys, partitions, indexes. */
  public CatalogReader catalog() {
    return catalog;
  }

  /** The catalog reader of this dialect: the generic JDBC one unless the dialect reads more. */
  protected CatalogReader catalogReader() {
    return new CatalogReader(this);
  }

  /** The SQL of this dialect for a target database: DDL, staging, swaps and merges. */
  public abstract TargetSql target();

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

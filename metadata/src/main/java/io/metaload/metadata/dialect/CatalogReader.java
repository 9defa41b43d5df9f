package io.metaload.metadata.dialect;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.JdbcTypes;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a dialect reads its database's catalog: finding a table under the spellings an unquoted name
 * may take, its columns (with domains, enums and bit strings mapped to their base types) and
 * primary key, its partitions, and whether an index leads with a column. The generic answers come
 * from {@link java.sql.DatabaseMetaData}; a dialect overrides what its database reports
 * differently.
 */
public class CatalogReader implements Serializable {
  private static final long serialVersionUID = 1L;

  protected final Dialect dialect;

  protected CatalogReader(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * The type a bit string of {@code bits} bits ({@code bit(n)}, n > 1, which JDBC reports like a
   * boolean) is moved as, or null where this database's bit strings cannot be moved.
   */
  protected ColumnType bitStringType(int bits) {
    return null;
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
            + dialect.name()
            + " table "
            + table
            + " has no partitions metaload can read one by one");
  }

  /** How a plan stores partition {@code partition} of {@link #sourcePartitions}, as text. */
  public String sourcePartitionText(TableRef partition) {
    return partition.toString();
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
    String schema = table.schema() == null ? null : dialect.foldCase(table.schema());
    TableRef folded = TableRef.of(schema, dialect.foldCase(table.table()));
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
        ColumnType type = JdbcTypes.of(sqlType, typeName);
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
   * The JDBC type of a base type named {@code typeName}, for a domain over a domain (the driver
   * reports the inner domain).
   */
  protected int jdbcType(Connection c, String typeName) throws SQLException {
    return Types.OTHER;
  }

  /**
   * The type under a column whose type is a domain (a user-defined type over a built-in one), as a
   * column holding only its type name, length or precision and scale; null where the database has
   * no domains. The domain's own constraints stay with the source.
   */
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
}

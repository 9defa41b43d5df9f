package io.metaload.metadata.dialect;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The catalog reading of {@link PostgresDialect}. */
final class PostgresCatalogReader extends CatalogReader {
  private static final long serialVersionUID = 1L;

  PostgresCatalogReader(PostgresDialect dialect) {
    super(dialect);
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
      ps.setString(1, dialect.qualified(TableRef.of(schema, table)));
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
      ps.setString(1, dialect.qualified(TableRef.of(schemaPatternFor(c, t), t.table())));
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

  /**
   * {@code bit(n)} moves as its text, {@code '1010...'}, which a PostgreSQL {@code bit(n)} target
   * reads back.
   */
  @Override
  protected ColumnType bitStringType(int bits) {
    return ColumnType.TEXT_FORM;
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
      ps.setString(1, dialect.qualified(table));
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
      ps.setString(1, dialect.qualified(table));
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
}

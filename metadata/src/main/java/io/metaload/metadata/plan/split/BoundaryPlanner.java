package io.metaload.metadata.plan.split;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Finds the key tuples that cut a partition's rows, in order-key order, into sub-ranges of {@code
 * rowsPerRange} rows: the key of every {@code rowsPerRange}-th row. A single-column key that leads
 * an index is walked along the index in steps ({@code WHERE key >= last ORDER BY key LIMIT 1 OFFSET
 * step}), one pass over the index without a sort; any other key is numbered in one sorted pass
 * ({@code ROW_NUMBER() OVER (ORDER BY ...)}). Both are done by the database, so boundaries follow
 * the columns' collations exactly. Consecutive equal tuples (a value of a non-unique key without a
 * primary key to break ties) are kept once.
 *
 * <pre>{@code
 * List<List<String>> cuts = new BoundaryPlanner(c, dialect, table, keyColumns, true)
 *     .boundaries(" WHERE region = ?", ps -> { ps.setString(1, "EU"); return 2; }, 1_000_000, 50_000);
 * }</pre>
 */
public final class BoundaryPlanner {
  /** Binds a partition filter's parameters from 1; returns the next parameter index. */
  public interface FilterBinder {
    int bind(PreparedStatement ps) throws SQLException;
  }

  private final Connection connection;
  private final Dialect dialect;
  private final TableRef table;
  private final List<Column> columns;
  private final boolean walkIndex;

  /**
   * @param walkIndex whether the key is one unique column that leads an index, so the index can be
   *     walked in steps
   */
  public BoundaryPlanner(
      Connection connection,
      Dialect dialect,
      TableRef table,
      List<Column> columns,
      boolean walkIndex) {
    this.connection = connection;
    this.dialect = dialect;
    this.table = table;
    this.columns = List.copyOf(columns);
    this.walkIndex = walkIndex && columns.size() == 1;
  }

  /**
   * The boundaries of the rows {@code filterSql} selects ({@code " WHERE ..."}, possibly {@code "
   * WHERE 1 = 1"}), which number {@code rows}.
   */
  public List<List<String>> boundaries(
      String filterSql, FilterBinder filter, long rows, int rowsPerRange) throws SQLException {
    if (rows <= rowsPerRange) {
      return List.of();
    }
    List<List<String>> found =
        walkIndex
            ? byIndexSteps(filterSql, filter, rowsPerRange)
            : byRowNumbers(filterSql, filter, rowsPerRange);
    List<List<String>> out = new ArrayList<>(found.size());
    for (List<String> tuple : found) {
      if (out.isEmpty() || !out.get(out.size() - 1).equals(tuple)) {
        out.add(tuple);
      }
    }
    return out;
  }

  private List<List<String>> byIndexSteps(String filterSql, FilterBinder filter, int step)
      throws SQLException {
    KeyRangeSql range = new KeyRangeSql(dialect, columns);
    String select =
        "SELECT " + dialect.columnList(columns) + " FROM " + dialect.qualified(table) + filterSql;
    String tail = " ORDER BY " + range.orderBy() + dialect.rowAfter(step);
    KeyRangeSql.Predicate from = range.predicate(true, false);
    List<List<String>> out = new ArrayList<>();
    try (PreparedStatement first = connection.prepareStatement(select + tail);
        PreparedStatement next =
            connection.prepareStatement(select + " AND " + from.sql() + tail)) {
      filter.bind(first);
      List<Object> cursor = firstRow(first);
      while (cursor != null) {
        List<String> tuple = encode(cursor);
        if (!out.isEmpty() && out.get(out.size() - 1).equals(tuple)) {
          return byRowNumbers(filterSql, filter, step);
        }
        out.add(tuple);
        from.bind(next, filter.bind(next), cursor, null);
        cursor = firstRow(next);
      }
    }
    return out;
  }

  private List<List<String>> byRowNumbers(String filterSql, FilterBinder filter, int step)
      throws SQLException {
    List<String> aliases = new ArrayList<>();
    StringBuilder inner = new StringBuilder("SELECT ");
    for (int i = 0; i < columns.size(); i++) {
      aliases.add("ml_k" + i);
      inner.append(dialect.quote(columns.get(i).name())).append(" AS ml_k").append(i).append(", ");
    }
    String order =
        columns.stream().map(c -> dialect.quote(c.name())).collect(Collectors.joining(", "));
    inner
        .append("ROW_NUMBER() OVER (ORDER BY ")
        .append(order)
        .append(") AS ml_rn FROM ")
        .append(dialect.qualified(table))
        .append(filterSql);
    String aliasList = String.join(", ", aliases);
    String sql =
        "SELECT "
            + aliasList
            + " FROM ("
            + inner
            + ") ml_q WHERE MOD(ml_rn - 1, "
            + step
            + ") = 0 AND ml_rn > 1 ORDER BY "
            + aliasList;
    List<List<String>> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      filter.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(encode(read(rs)));
        }
      }
    }
    return out;
  }

  private List<Object> firstRow(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? read(rs) : null;
    }
  }

  private List<Object> read(ResultSet rs) throws SQLException {
    List<Object> values = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      values.add(columns.get(i).type().read(rs, i + 1));
    }
    return values;
  }

  private List<String> encode(List<Object> values) {
    List<String> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      out.add(KeyLiterals.encode(columns.get(i).type(), values.get(i)));
    }
    return out;
  }
}

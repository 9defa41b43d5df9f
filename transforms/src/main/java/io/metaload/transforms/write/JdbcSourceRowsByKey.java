package io.metaload.transforms.write;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.plan.RunPlanner;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Looks target keys up in a JDBC source table by its primary key, as the source is now (after the
 * window was read), on one connection opened at the first lookup.
 *
 * <pre>{@code
 * try (JdbcSourceRowsByKey source = new JdbcSourceRowsByKey(spec, table, keyColumns, deltaColumn, type, window.high())) {
 *   publisher.publish(target, entry, schema, column, replaced, false, source, fence);
 * }
 * }</pre>
 */
public final class JdbcSourceRowsByKey implements SourceRowsByKey, AutoCloseable {
  private final ConnectionSpec spec;
  private final Dialect dialect;
  private final TableRef table;
  private final List<Column> key;
  private final String deltaColumn;
  private final Object windowEnd;
  private Connection connection;

  /**
   * @param key the source columns that carry the target key's columns, in the target key's order
   * @param windowEnd the window's end as a split-key position of {@code type}
   */
  public JdbcSourceRowsByKey(ConnectionSpec spec, TableRef table, List<Column> key, String deltaColumn, SplitKeyType type, long windowEnd) {
    this.spec = spec;
    this.dialect = Dialect.forUrl(spec.url());
    this.table = table;
    this.key = List.copyOf(key);
    this.deltaColumn = deltaColumn;
    this.windowEnd = type.fromPosition(windowEnd);
  }

  @Override
  public Map<List<Object>, Boolean> aheadOfWindow(List<List<Object>> keys) throws SQLException {
    if (connection == null) {
      connection = RunPlanner.open(spec, "source");
    }
    String columns = key.stream().map(k -> dialect.quote(k.name())).collect(Collectors.joining(", "));
    String one = "(" + key.stream().map(k -> dialect.quote(k.name()) + " = ?").collect(Collectors.joining(" AND ")) + ")";
    String sql = "SELECT " + columns + ", CASE WHEN " + dialect.quote(deltaColumn) + " >= ? THEN 1 ELSE 0 END FROM " + dialect.qualified(table)
        + " WHERE " + keys.stream().map(k -> one).collect(Collectors.joining(" OR "));
    Map<List<Object>, Boolean> found = new HashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setObject(1, windowEnd);
      int p = 2;
      for (List<Object> k : keys) {
        for (int i = 0; i < key.size(); i++) {
          bind(ps, p++, key.get(i).type(), k.get(i));
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<Object> k = new ArrayList<>(key.size());
          for (int i = 0; i < key.size(); i++) {
            k.add(key.get(i).type().read(rs, i + 1));
          }
          found.put(WindowDeletion.canonical(k), rs.getInt(key.size() + 1) == 1);
        }
      }
    }
    return found;
  }

  /** A target value bound to a source key column, as text where the source column is text and the target's is not. */
  private static void bind(PreparedStatement ps, int i, ColumnType type, Object value) throws SQLException {
    boolean text = type == ColumnType.STRING || type == ColumnType.TEXT_FORM;
    type.bind(ps, i, text && value != null && !(value instanceof String) ? value.toString() : value);
  }

  @Override
  public void close() throws SQLException {
    if (connection != null) {
      connection.close();
    }
  }
}

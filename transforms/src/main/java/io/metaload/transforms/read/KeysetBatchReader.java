package io.metaload.transforms.read;

import io.metaload.metadata.plan.SourceSnapshot;
import io.metaload.metadata.plan.split.KeyBoundaries;
import io.metaload.metadata.plan.split.KeyRangeSql;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Runs keyset queries against one source table on one connection: {@code key >= ? AND key < ? ORDER
 * BY key LIMIT n}, never OFFSET, with a fetch size so rows stream from a server-side cursor. Given
 * a snapshot id, the connection imports it and stays in that one transaction, so every batch sees
 * the same moment. Not thread-safe; one per DoFn instance.
 */
final class KeysetBatchReader implements BatchSource {
  private final SourceSpec spec;
  private final Connection connection;
  private final ColumnType[] types;
  private final Object[] partitionValueCache = new Object[1];
  private String cachedLiteral;
  private final String key;
  private final int fetch;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final KeyRangeSql subRangeSql;

  KeysetBatchReader(SourceSpec spec, Connection connection) throws SQLException {
    this.spec = spec;
    this.connection = connection;
    if (spec.snapshotId() == null) {
      spec.dialect().prepareStreamingRead(connection);
    } else {
      SourceSnapshot.importInto(spec.dialect(), connection, spec.snapshotId());
    }
    this.key = spec.dialect().quote(spec.columns().get(spec.splitKeyIndex()).name());
    this.fetch = spec.dialect().streamingFetchSize(Math.min(spec.fetchSize(), spec.batchSize()));
    this.types = spec.columns().stream().map(Column::type).toArray(ColumnType[]::new);
    this.subRangeSql =
        spec.keyBoundaries() == null
            ? null
            : new KeyRangeSql(spec.dialect(), spec.keyBoundaries().columns());
  }

  /**
   * {@code SELECT columns FROM table WHERE [partition = ? AND]}, for the unit's table or partition.
   */
  private String select(@Nullable String partitionValue) {
    return "SELECT "
        + spec.dialect().columnList(spec.columns())
        + " FROM "
        + spec.dialect().qualified(spec.relation(partitionValue))
        + " WHERE "
        + (spec.partitionColumn() == null
            ? ""
            : spec.dialect().quote(spec.partitionColumn().name()) + " = ? AND ");
  }

  /** The statement for {@code sql}, prepared once per reader. */
  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      ps.setFetchSize(fetch);
      ps.setQueryTimeout(spec.connection().queryTimeoutSeconds());
      statements.put(sql, ps);
    }
    return ps;
  }

  @Override
  public FetchedBatch readRange(@Nullable String partitionValue, long from, long to)
      throws SQLException {
    PreparedStatement rangeQuery =
        statement(
            select(partitionValue)
                + key
                + " >= ? AND "
                + key
                + " < ? ORDER BY "
                + key
                + spec.dialect().firstRows(spec.batchSize()));
    int i = bindPartition(rangeQuery, partitionValue);
    rangeQuery.setObject(i, spec.splitKeyType().fromPosition(from));
    rangeQuery.setObject(i + 1, spec.splitKeyType().fromPosition(to));
    return run(rangeQuery);
  }

  @Override
  public FetchedBatch readKey(@Nullable String partitionValue, long position) throws SQLException {
    PreparedStatement keyQuery = statement(select(partitionValue) + key + " = ?");
    int i = bindPartition(keyQuery, partitionValue);
    keyQuery.setObject(i, spec.splitKeyType().fromPosition(position));
    return run(keyQuery);
  }

  @Override
  public FetchedBatch readSubRange(@Nullable String partitionValue, int partitionId, long position)
      throws SQLException {
    KeyBoundaries boundaries = spec.keyBoundaries();
    List<Object> low = boundaries.low(partitionId, position);
    List<Object> high = boundaries.high(partitionId, position);
    KeyRangeSql.Predicate range = subRangeSql.predicate(low != null, high != null);
    PreparedStatement ps =
        statement(select(partitionValue) + range.sql() + boundaries.orderByClause(subRangeSql));
    range.bind(ps, bindPartition(ps, partitionValue), low, high);
    return run(ps);
  }

  private int bindPartition(PreparedStatement ps, @Nullable String literal) throws SQLException {
    if (spec.partitionColumn() == null) {
      return 1;
    }
    if (cachedLiteral == null || !cachedLiteral.equals(literal)) {
      partitionValueCache[0] = spec.partitionColumn().type().parse(literal);
      cachedLiteral = literal;
    }
    spec.partitionColumn().type().bind(ps, 1, partitionValueCache[0]);
    return 2;
  }

  private FetchedBatch run(PreparedStatement ps) throws SQLException {
    List<Object[]> rows = new ArrayList<>(Math.min(spec.batchSize(), 65_536));
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Object[] row = new Object[types.length];
        for (int c = 0; c < types.length; c++) {
          try {
            row[c] = types[c].read(rs, c + 1);
          } catch (SQLException e) {
            throw new SQLException(
                "column " + spec.columns().get(c).name() + ": " + e.getMessage(),
                e.getSQLState(),
                e);
          }
        }
        rows.add(row);
      }
    }
    if (!connection.getAutoCommit() && spec.snapshotId() == null) {
      connection.commit();
    }
    return new DecodedRows(types, rows, spec.splitKeyIndex(), spec.splitKeyType());
  }

  @Override
  public void close() throws SQLException {
    try {
      for (PreparedStatement ps : statements.values()) {
        ps.close();
      }
    } finally {
      connection.close();
    }
  }
}

package io.metaload.metadata.plan;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.plan.split.KeyBoundaries;
import io.metaload.metadata.plan.split.KeyRangeSql;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts a partition's source rows in split-key ranges, with one prepared statement per shape of
 * range: what a resumed attempt expects to read from the gaps its new snapshot covers. For an
 * ordinal key a range of positions is a run of sub-ranges, counted between their key tuples.
 */
public final class RangeCounter implements AutoCloseable {
  private final Connection connection;
  private final Dialect dialect;
  private final LoadPlan plan;
  private final KeyBoundaries boundaries;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  public RangeCounter(Connection c, Dialect dialect, LoadPlan plan) {
    this.connection = c;
    this.dialect = dialect;
    this.plan = plan;
    this.boundaries = KeyBoundaries.of(plan);
  }

  /** Rows of {@code partition} whose split-key position lies in {@code [from, to)}. */
  public long count(PartitionPlan partition, long from, long to) throws SQLException {
    TableRef relation =
        plan.definition().partitionStrategy() == PartitionStrategy.SOURCE
            ? dialect.catalog().sourcePartition(plan.source(), partition.predicateValue())
            : plan.source();
    String prefix =
        "SELECT COUNT(*) FROM "
            + dialect.qualified(relation)
            + " WHERE "
            + (plan.partitionColumn() == null
                ? ""
                : dialect.quote(plan.partitionColumn().name()) + " = ? AND ");
    if (plan.splitKeyType() == SplitKeyType.ORDINAL) {
      List<Object> low = boundaries.low(partition.partitionId(), from);
      List<Object> high = boundaries.high(partition.partitionId(), to - 1);
      KeyRangeSql.Predicate range =
          new KeyRangeSql(dialect, boundaries.columns()).predicate(low != null, high != null);
      PreparedStatement ps = statement(prefix + range.sql());
      range.bind(ps, bindPartition(ps, partition), low, high);
      return run(ps);
    }
    String key = dialect.quote(plan.splitKey().name());
    PreparedStatement ps = statement(prefix + key + " >= ? AND " + key + " < ?");
    int i = bindPartition(ps, partition);
    ps.setObject(i++, plan.splitKeyType().fromPosition(from));
    ps.setObject(i, plan.splitKeyType().fromPosition(to));
    return run(ps);
  }

  private int bindPartition(PreparedStatement ps, PartitionPlan partition) throws SQLException {
    if (plan.partitionColumn() == null) {
      return 1;
    }
    plan.partitionColumn()
        .type()
        .bind(ps, 1, plan.partitionColumn().type().parse(partition.predicateValue()));
    return 2;
  }

  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  private static long run(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws SQLException {
    SQLException first = null;
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}

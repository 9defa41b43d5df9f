package io.metaload.metadata.plan;

import io.metaload.metadata.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Counts a partition's source rows in split-key ranges, with one prepared statement: what a
 * resumed attempt expects to read from the gaps its new snapshot covers.
 */
public final class RangeCounter implements AutoCloseable {
  private final LoadPlan plan;
  private final PreparedStatement statement;

  public RangeCounter(Connection c, Dialect dialect, LoadPlan plan) throws SQLException {
    this.plan = plan;
    String key = dialect.quote(plan.splitKey().name());
    this.statement = c.prepareStatement("SELECT COUNT(*) FROM " + dialect.qualified(plan.source()) + " WHERE "
        + (plan.partitionColumn() == null ? "" : dialect.quote(plan.partitionColumn().name()) + " = ? AND ") + key + " >= ? AND " + key + " < ?");
  }

  /** Rows of {@code partition} whose split-key position lies in {@code [from, to)}. */
  public long count(PartitionPlan partition, long from, long to) throws SQLException {
    int i = 1;
    if (plan.partitionColumn() != null) {
      plan.partitionColumn().type().bind(statement, i++, plan.partitionColumn().type().parse(partition.predicateValue()));
    }
    statement.setObject(i++, plan.splitKeyType().fromPosition(from));
    statement.setObject(i, plan.splitKeyType().fromPosition(to));
    try (ResultSet rs = statement.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws SQLException {
    statement.close();
  }
}

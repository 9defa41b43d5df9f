package io.metaload.metadata.plan;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.plan.split.BoundaryPlanner;
import io.metaload.metadata.plan.split.HeapOrder;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Measures one partition of one table (the source, or one of its partitions): counts its rows and
 * finds its split-key bounds, then cuts it into read units of about a batch each (by quantiles of
 * the key, by tuples of an ordinal key, or by runs of heap pages). A count the source stops past
 * its time limit falls back to the catalog's estimate and even cuts, with a warning.
 */
final class PartitionMeasure {
  private final Connection connection;
  private final Dialect dialect;
  private final TableRef table;
  private final Column key;
  private final SplitKeyType keyType;
  private final Column partitionColumn;
  private final boolean countRows;
  private final int batchSize;
  private final boolean uniqueKey;

  /** An ordinal key's order key; null for integer, date and timestamp keys. */
  private final List<Column> orderKey;

  /** Whether an ordinal key's sub-ranges are runs of heap pages. */
  private final boolean heapOrder;

  /** Partitions with fewer rows are cut evenly, without a quantile pass. */
  private final long balanceBelow;

  /** The plan's warnings, which a coarser plan after a timeout adds to. */
  private final List<String> warnings;

  private Boolean indexedKey;

  PartitionMeasure(
      Connection connection,
      Dialect dialect,
      TableRef table,
      Column key,
      SplitKeyType keyType,
      Column partitionColumn,
      boolean countRows,
      int batchSize,
      boolean uniqueKey,
      List<Column> orderKey,
      boolean heapOrder,
      long balanceBelow,
      List<String> warnings) {
    this.connection = connection;
    this.dialect = dialect;
    this.table = table;
    this.key = key;
    this.keyType = keyType;
    this.partitionColumn = partitionColumn;
    this.countRows = countRows;
    this.batchSize = batchSize;
    this.uniqueKey = uniqueKey;
    this.orderKey = orderKey;
    this.heapOrder = heapOrder;
    this.balanceBelow = balanceBelow;
    this.warnings = warnings;
  }

  /**
   * Counts an ordinal key's partition and finds the tuples that cut it into sub-ranges of one
   * batch.
   */
  private PartitionPlan countOrdinal(int id, String description, String value) throws SQLException {
    if (heapOrder) {
      TableRef relation = table;
      HeapOrder.Cuts cuts =
          CoarserOnTimeout.run(
              connection,
              "the pass counting the runs of heap pages of " + relation,
              "its runs of heap pages are cut evenly by size (each holds about "
                  + batchSize
                  + " rows where rows are spread evenly over the pages)",
              () -> HeapOrder.cut(connection, dialect, relation, batchSize),
              () ->
                  CoarserOnTimeout.run(
                      connection,
                      "counting the rows of " + relation,
                      "its rows are the catalog's estimate and validation "
                          + "checks the tuple-id ranges' tiling and the staging count but cannot compare the rows read with the source's",
                      () -> HeapOrder.evenCuts(connection, dialect, relation, batchSize, true),
                      () -> HeapOrder.evenCuts(connection, dialect, relation, batchSize, false),
                      warnings),
              warnings);
      PartitionPlan p = PartitionPlan.ordinal(id, description, value, cuts.rows, cuts.boundaries);
      return cuts.estimated ? p.asEstimate() : p;
    }
    PartitionFilter filter = filter(value, null, null);
    long rows;
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT COUNT(*) FROM " + dialect.qualified(table) + filter.sql())) {
      filter.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        rows = rs.getLong(1);
      }
    }
    BoundaryPlanner boundaries =
        new BoundaryPlanner(connection, dialect, table, orderKey, uniqueKey && indexedKey());
    return PartitionPlan.ordinal(
        id,
        description,
        value,
        rows,
        boundaries.boundaries(filter.sql(), filter::bind, rows, batchSize));
  }

  /**
   * The partition of the rows {@code value} selects (a list value; null for all) within split-key
   * positions {@code [low, high)} where given, counted and cut; zero rows when rows are not
   * counted.
   */
  PartitionPlan count(int id, String description, String value, Long low, Long high)
      throws SQLException {
    if (!countRows) {
      return orderKey == null
          ? PartitionPlan.of(id, description, value, 0, 0, 0)
          : PartitionPlan.ordinal(id, description, value, 0, List.of());
    }
    if (orderKey != null) {
      return countOrdinal(id, description, value);
    }
    String k = dialect.quote(key.name());
    PartitionFilter filter = filter(value, low, high);
    return CoarserOnTimeout.run(
        connection,
        "counting the rows of " + table + " (" + description + ")",
        "its rows are the "
            + "database's estimate and validation checks the key ranges' tiling and the staging count but cannot compare the rows "
            + "read with the source's",
        () -> {
          try (PreparedStatement ps =
              connection.prepareStatement(
                  "SELECT COUNT(*), MIN("
                      + k
                      + "), MAX("
                      + k
                      + ") FROM "
                      + dialect.qualified(table)
                      + filter.sql())) {
            filter.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              long rows = rs.getLong(1);
              PartitionPlan p =
                  bounded(
                      id,
                      description,
                      value,
                      low,
                      rows,
                      key.type().read(rs, 2),
                      key.type().read(rs, 3));
              boolean dense = uniqueKey && p.keyTo() - p.keyFrom() == rows;
              return rows == 0 || dense
                  ? p
                  : p.withQuantiles(
                      new QuantilePass(connection, dialect, table, key, keyType, warnings)
                          .quantiles(
                              filter,
                              rows,
                              p.keyFrom(),
                              batchSize,
                              balanceBelow,
                              this::indexedKey));
            }
          }
        },
        () -> estimated(id, description, value, low, filter),
        warnings);
  }

  private PartitionPlan bounded(
      int id, String description, String value, Long low, long rows, Object min, Object max) {
    if (rows == 0 || min == null) {
      long at = low == null ? 0 : low;
      return PartitionPlan.of(id, description, value, at, at, 0);
    }
    long maxPosition = keyType.toPosition(max);
    if (maxPosition == Long.MAX_VALUE) {
      throw MetaloadException.badConfig(
          "split key "
              + key.name()
              + " reaches the largest possible value; metaload needs one position above the maximum");
    }
    return PartitionPlan.of(id, description, value, keyType.toPosition(min), maxPosition + 1, rows);
  }

  /**
   * A partition whose count the source stopped: its key bounds from two queries that an index on
   * the key answers at once, and the planner's estimate of its rows; units are cut evenly.
   */
  private PartitionPlan estimated(
      int id, String description, String value, Long low, PartitionFilter filter)
      throws SQLException {
    String select = "SELECT * FROM " + dialect.qualified(table) + filter.sql();
    String explain =
        dialect
            .explainRows(select)
            .orElseThrow(() -> new SQLException(dialect.name() + " gives no row estimate"));
    long rows;
    try (PreparedStatement ps = connection.prepareStatement(explain)) {
      filter.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        rows = dialect.explainedRows(rs);
      }
    }
    Object min = bound("MIN", filter);
    if (min == null) {
      return bounded(id, description, value, low, 0, null, null).asEstimate();
    }
    return bounded(id, description, value, low, Math.max(1, rows), min, bound("MAX", filter))
        .asEstimate();
  }

  private Object bound(String function, PartitionFilter filter) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT "
                + function
                + "("
                + dialect.quote(key.name())
                + ") FROM "
                + dialect.qualified(table)
                + filter.sql())) {
      filter.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return key.type().read(rs, 1);
      }
    }
  }

  private PartitionFilter filter(String value, Long low, Long high) {
    return new PartitionFilter(dialect, key, keyType, partitionColumn, value, low, high);
  }

  /** Whether an index leads with the split key, asked of the catalog once. */
  private boolean indexedKey() throws SQLException {
    if (indexedKey == null) {
      indexedKey = dialect.catalog().hasIndexLeadingWith(connection, table, key.name());
    }
    return indexedKey;
  }
}

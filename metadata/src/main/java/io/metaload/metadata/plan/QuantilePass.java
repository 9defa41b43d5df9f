package io.metaload.metadata.plan;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a partition's row quantiles along its split key, so that read units hold about even rows on
 * a skewed key: from a sample of pages for a whole large table where the database can sample
 * ({@link Dialect#pageSample}), by stepping through the key's index where one leads with it, else
 * by one sorted pass numbering the rows. A pass the source stops for running past its time limit
 * leaves the partition cut evenly, with a warning.
 */
final class QuantilePass {
  /**
   * Whole PostgreSQL tables of at least this many rows get their quantiles from a sample of pages.
   */
  static final long SAMPLE_QUANTILES_ABOVE = 2_000_000;

  /** Overrides {@link #SAMPLE_QUANTILES_ABOVE}: {@code -Dmetaload.sampleQuantilesAbove=N}. */
  static final String SAMPLE_QUANTILES_SWITCH = "metaload.sampleQuantilesAbove";

  /** About how many rows a sampled quantile pass reads. */
  static final long SAMPLE_ROWS = 100_000;

  /** At most this many row-balanced slices per partition, which read units are cut from. */
  static final int MAX_SLICES = 256;

  private final Connection connection;
  private final Dialect dialect;
  private final TableRef table;
  private final Column key;
  private final SplitKeyType keyType;
  private final List<String> warnings;

  QuantilePass(
      Connection connection,
      Dialect dialect,
      TableRef table,
      Column key,
      SplitKeyType keyType,
      List<String> warnings) {
    this.connection = connection;
    this.dialect = dialect;
    this.table = table;
    this.key = key;
    this.keyType = keyType;
    this.warnings = warnings;
  }

  /** Whether an index leads with the split key (asked of the catalog at most once). */
  interface IndexCheck {
    boolean indexed() throws SQLException;
  }

  /**
   * The keys that cut the partition's rows, in key order, into {@code rows / batchSize} (at most
   * {@code MAX_SLICES}) equal slices: steps along the key's index where it has one, else one sorted
   * pass over the partition's keys. Not taken for a unique key that holds every position of its
   * range (even widths are even rows then), nor for a partition too small to be cut into more than
   * a few units.
   */
  List<Long> quantiles(
      PartitionFilter filter,
      long rows,
      long minPosition,
      int batchSize,
      long balanceBelow,
      IndexCheck indexedKey)
      throws SQLException {
    long slices = Math.min(MAX_SLICES, rows / Math.max(1, batchSize));
    if (slices < 4 || rows < balanceBelow) {
      return List.of();
    }
    long step = (rows + slices - 1) / slices;
    if (dialect.pageSample(100).isPresent()
        && filter.isWhole()
        && rows >= Long.getLong(SAMPLE_QUANTILES_SWITCH, SAMPLE_QUANTILES_ABOVE)) {
      return CoarserOnTimeout.run(
          connection,
          "the sampled quantile pass over " + table,
          "its read units are cut evenly over the key "
              + "range (they may hold unequal rows on a skewed key)",
          () -> quantilesBySample(rows, slices, minPosition),
          List::of,
          warnings);
    }
    boolean byIndex = indexedKey.indexed();
    return CoarserOnTimeout.run(
        connection,
        "the quantile pass over " + table,
        "its read units are cut evenly over the key range "
            + "(they may hold unequal rows on a skewed key)",
        () ->
            byIndex
                ? quantilesByIndexSteps(filter, step, minPosition)
                : quantilesByRowNumbers(filter, step, minPosition),
        List::of,
        warnings);
  }

  /**
   * Estimates the quantiles of a whole table from a sample of its pages ({@link
   * Dialect#pageSample}, PostgreSQL's {@code TABLESAMPLE SYSTEM}, about {@link #SAMPLE_ROWS} rows,
   * with a fixed seed), sorted by the database: a few thousand page reads instead of a pass over
   * the whole index. Units only need to be about even (every row is read whatever the cuts), so
   * estimates suffice.
   */
  private List<Long> quantilesBySample(long rows, long slices, long minPosition)
      throws SQLException {
    double percent = Math.min(100.0, 100.0 * SAMPLE_ROWS / rows);
    String k = dialect.quote(key.name());
    List<Long> sample = new ArrayList<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT "
                + k
                + " FROM "
                + dialect.qualified(table)
                + dialect.pageSample(percent).orElseThrow()
                + " ORDER BY "
                + k)) {
      ps.setFetchSize(10_000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sample.add(keyType.toPosition(key.type().read(rs, 1)));
        }
      }
    }
    List<Long> out = new ArrayList<>();
    long last = minPosition;
    for (long i = 1; i < slices && !sample.isEmpty(); i++) {
      long position = sample.get((int) (i * sample.size() / slices));
      if (position > last) {
        out.add(position);
        last = position;
      }
    }
    return out;
  }

  /**
   * Walks the key's index in steps of {@code step} entries ({@code ORDER BY key LIMIT 1 OFFSET
   * step}, each step starting at the last quantile): one pass over the index without sorting or
   * materializing anything. A value with more rows than a step is skipped past.
   */
  private List<Long> quantilesByIndexSteps(PartitionFilter filter, long step, long minPosition)
      throws SQLException {
    String k = dialect.quote(key.name());
    String base = "SELECT " + k + " FROM " + dialect.qualified(table) + filter.sql();
    List<Long> out = new ArrayList<>();
    try (PreparedStatement stepQuery =
            connection.prepareStatement(
                base + " AND " + k + " >= ? ORDER BY " + k + dialect.rowAfter(step));
        PreparedStatement nextQuery =
            connection.prepareStatement(
                base + " AND " + k + " > ? ORDER BY " + k + dialect.firstRows(1))) {
      long cursor = minPosition;
      while (out.size() < MAX_SLICES) {
        Long found = first(stepQuery, filter, cursor);
        if (found != null && found <= cursor) {
          found = first(nextQuery, filter, cursor);
        }
        if (found == null) {
          break;
        }
        out.add(found);
        cursor = found;
      }
    }
    return out;
  }

  private Long first(PreparedStatement ps, PartitionFilter filter, long from) throws SQLException {
    ps.setObject(filter.bind(ps), keyType.fromPosition(from));
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? keyType.toPosition(key.type().read(rs, 1)) : null;
    }
  }

  /**
   * Numbers the partition's rows in key order in one sorted pass and keeps every {@code step}-th
   * key.
   */
  private List<Long> quantilesByRowNumbers(PartitionFilter filter, long step, long minPosition)
      throws SQLException {
    String k = dialect.quote(key.name());
    String sql =
        "SELECT ml_k FROM (SELECT "
            + k
            + " AS ml_k, ROW_NUMBER() OVER (ORDER BY "
            + k
            + ") AS ml_rn FROM "
            + dialect.qualified(table)
            + filter.sql()
            + ") ml_q WHERE MOD(ml_rn - 1, "
            + step
            + ") = 0 AND ml_rn > 1 ORDER BY ml_k";
    List<Long> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      filter.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        long last = minPosition;
        while (rs.next()) {
          long position = keyType.toPosition(key.type().read(rs, 1));
          if (position > last) {
            out.add(position);
            last = position;
          }
        }
      }
    }
    return out;
  }
}

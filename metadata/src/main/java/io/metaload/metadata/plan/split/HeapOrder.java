package io.metaload.metadata.plan.split;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.TableRef;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reading a PostgreSQL table in the order of its heap pages instead of its key: the sub-ranges of
 * an ordinal plan are runs of pages, {@code ctid >= '(p,0)' AND ctid < '(q,0)'}, each read by a TID
 * range scan (PostgreSQL 14 and later) in the run's snapshot. A random key (a UUID, a hashed or
 * coded string) spreads every key range over the whole table, so reading by key visits one heap
 * page per row; reading by pages costs what a sequential scan costs, whatever the key.
 *
 * <p>A tuple keeps its page within one snapshot, so an attempt reads every visible row exactly
 * once. A later attempt reads in a new snapshot, where a row that was updated in between may have
 * moved to another page: from a page already read to one still to read (read twice) or the other
 * way (never read). {@link #changeSince} therefore checks, before a resume reads the remaining
 * pages, that no row of the table was written since this plan's snapshot and that the table was not
 * rewritten; if either happened, the resume reads the table again from the start.
 *
 * <pre>{@code
 * Optional<String> why = HeapOrder.whyNot(connection, dialect, List.of(table), definition, true);
 * HeapOrder heap = HeapOrder.take(connection, dialect, List.of(table)); // in the planning snapshot
 * HeapOrder.Cuts cuts = HeapOrder.cut(connection, dialect, table, batchSize);
 * }</pre>
 */
@AutoValue
public abstract class HeapOrder implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The system column the sub-ranges are bounds of; PostgreSQL reserves the name, so no user column
   * has it.
   */
  public static final String COLUMN = "ctid";

  /** Rows per page assumed for an estimate where the catalog has none: high, so runs stay small. */
  private static final double UNKNOWN_ROWS_PER_PAGE = 100;

  /**
   * Turns heap order off, so ordinal keys are read in key order: {@code
   * -Dmetaload.heapOrder=false}.
   */
  public static final String SWITCH = "metaload.heapOrder";

  /** The planning transaction's {@code pg_current_snapshot()}, with 64-bit transaction ids. */
  public abstract String snapshot();

  /**
   * Each table read ({@code schema.table}: the source, or each of its partitions) with its {@code
   * pg_relation_filenode} when planned; a rewrite (VACUUM FULL, CLUSTER, TRUNCATE) changes it.
   */
  public abstract Map<String, Long> filenodes();

  public static HeapOrder of(String snapshot, Map<String, Long> filenodes) {
    return new AutoValue_HeapOrder(snapshot, Collections.unmodifiableMap(new TreeMap<>(filenodes)));
  }

  /**
   * The bound column of heap-ordered sub-ranges: {@code ctid}, compared by the server as {@code
   * tid}.
   */
  public static Column column() {
    return Column.of(COLUMN, ColumnType.TEXT_FORM, 0, 0, false, false, "tid");
  }

  /**
   * Why an ordinal key of {@code table} is read in key order rather than heap order, or empty when
   * heap order applies: a PostgreSQL 14 or later source, an ordinary table (not a view or a
   * partitioned parent, whose pages are not one sequence; each partition of one with strategy
   * {@code source}), not cut by a column (each partition would scan every page) and read in one
   * snapshot.
   */
  public static Optional<String> whyNot(
      Connection c, Dialect dialect, List<TableRef> relations, LoadDefinition d, boolean snapshot)
      throws SQLException {
    if (!Boolean.parseBoolean(System.getProperty(SWITCH, "true"))) {
      return Optional.of("-D" + SWITCH + "=false");
    }
    if (!dialect.readsInHeapOrder()) {
      return Optional.of("the source (" + dialect.name() + ") cannot be read in heap order");
    }
    if (c.getMetaData().getDatabaseMajorVersion() < 14) {
      return Optional.of(
          "PostgreSQL "
              + c.getMetaData().getDatabaseProductVersion()
              + " has no TID range scans (14 and later do)");
    }
    if (d.partitionStrategy() != PartitionStrategy.NONE
        && d.partitionStrategy() != PartitionStrategy.SOURCE) {
      return Optional.of("the load is partitioned by a column");
    }
    if (!snapshot) {
      return Optional.of("the source is not read in one snapshot");
    }
    for (TableRef relation : relations) {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT relkind FROM pg_class WHERE oid = ?::regclass")) {
        ps.setString(1, dialect.qualified(relation));
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || !"r".equals(rs.getString(1))) {
            return Optional.of(relation + " is not an ordinary table");
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Records the snapshot and the file node of each of {@code tables}; run on the planning
   * snapshot's connection.
   */
  public static HeapOrder take(Connection c, Dialect dialect, List<TableRef> tables)
      throws SQLException {
    Map<String, Long> filenodes = new TreeMap<>();
    for (TableRef table : tables) {
      filenodes.put(table.toString(), filenode(c, dialect, table));
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_current_snapshot()::text");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return of(rs.getString(1), filenodes);
    }
  }

  private static long filenode(Connection c, Dialect dialect, TableRef table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_relation_filenode(?::regclass)")) {
      ps.setString(1, dialect.qualified(table));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * The rows of a table as its snapshot sees them and the tuple ids that cut them into sub-ranges.
   */
  public static final class Cuts {
    public final long rows;
    public final List<List<String>> boundaries;

    /** True when {@link #rows} is the catalog's estimate, not a count. */
    public final boolean estimated;

    Cuts(long rows, List<List<String>> boundaries) {
      this(rows, boundaries, false);
    }

    Cuts(long rows, List<List<String>> boundaries, boolean estimated) {
      this.rows = rows;
      this.boundaries = List.copyOf(boundaries);
      this.estimated = estimated;
    }
  }

  /**
   * Finds, in the connection's snapshot, the tuple ids that cut the table into runs of at most
   * {@code rowsPerRange} rows in page order (at least about seven eighths of that, but the last),
   * and the table's exact rows, by counting chunks of pages with TID range scans ({@link
   * PageRunCounts}); the first run is open below and the last open above.
   */
  public static Cuts cut(Connection c, Dialect dialect, TableRef table, int rowsPerRange)
      throws SQLException {
    return PageRunCounts.cut(c, dialect, table, rowsPerRange);
  }

  /**
   * The coarser cuts: runs of an equal number of pages, about {@code rowsPerRange} rows each where
   * rows are spread evenly over the pages, without numbering or counting runs. The table's rows are
   * one {@code count(*)}, or with {@code count} false the catalog's rows per page ({@code reltuples
   * / relpages}, kept by VACUUM and ANALYZE) times its pages now: an estimate.
   */
  public static Cuts evenCuts(
      Connection c, Dialect dialect, TableRef table, int rowsPerRange, boolean count)
      throws SQLException {
    String relation = dialect.qualified(table);
    long rows;
    long pages;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + (count ? "(SELECT count(*) FROM " + relation + ")" : "-1")
                + ", pg_relation_size(c.oid) / current_setting('block_size')::bigint, c.reltuples, c.relpages FROM pg_class c "
                + "WHERE c.oid = ?::regclass")) {
      ps.setString(1, relation);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        pages = rs.getLong(2);
        double perPage =
            rs.getDouble(3) > 0 && rs.getLong(4) > 0
                ? rs.getDouble(3) / rs.getLong(4)
                : UNKNOWN_ROWS_PER_PAGE;
        rows = count ? rs.getLong(1) : (long) Math.ceil(perPage * pages);
      }
    }
    List<List<String>> out = new ArrayList<>();
    if (rows > rowsPerRange && pages > 1) {
      long step = Math.max(1, (long) Math.ceil((double) pages * rowsPerRange / rows));
      for (long page = step; page < pages; page += step) {
        out.add(List.of("(" + page + ",0)"));
      }
    }
    return new Cuts(rows, out, !count);
  }

  /**
   * Why the remaining pages cannot be read in {@code connection}'s snapshot as the rest of this
   * plan's, if they cannot: the table was rewritten, or a row of it was inserted or updated by a
   * transaction that may not be in the plan's snapshot (its id is not below that snapshot's oldest
   * running transaction). A 32-bit {@code xmin} is widened against the new snapshot's epoch; a
   * widening that is wrong can only report a change that did not happen. Scans the table once.
   */
  public Optional<String> changeSince(Connection connection, Dialect dialect) throws SQLException {
    for (Map.Entry<String, Long> planned : filenodes().entrySet()) {
      TableRef table = TableRef.parse(planned.getKey());
      if (filenode(connection, dialect, table) != planned.getValue()) {
        return Optional.of(
            table + " was rewritten (VACUUM FULL, CLUSTER or TRUNCATE) since the run planned");
      }
      String widened =
          "(m.x - ((m.x % 4294967296) - t.xmin::text::bigint + 4294967296) % 4294967296)";
      try (PreparedStatement ps =
          connection.prepareStatement(
              "SELECT count(*) FROM "
                  + dialect.qualified(table)
                  + " t, "
                  + "(SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS x, pg_snapshot_xmin(?::pg_snapshot)::text::bigint AS s) m "
                  + "WHERE t.xmin::text::bigint > 2 AND "
                  + widened
                  + " >= m.s")) {
        ps.setString(1, snapshot());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long written = rs.getLong(1);
          if (written > 0) {
            return Optional.of(
                written
                    + " row(s) of "
                    + table
                    + " were inserted or updated since the run planned (or by a "
                    + "transaction open when it planned), so rows may have moved between the pages read and those still to read");
          }
        }
      }
    }
    return Optional.empty();
  }
}

package io.metaload.metadata.plan.split;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a PostgreSQL table into runs of heap pages of at most a given number of rows, counting
 * instead of numbering: the table's pages are split into chunks of about an eighth of a run (sized
 * by the catalog's rows per page), every chunk is counted by its own TID range scan in one
 * statement, a chunk that holds more than a quarter of a run is split again and recounted (down to
 * single tuples within one page), and consecutive chunks are merged into runs greedily. The counts
 * are the connection's snapshot's, so the runs' rows add up to the table's exact count; every run
 * but the last holds more than three quarters of the limit and at most the limit.
 *
 * <p>Counting a chunk is what {@code count(*)} costs; numbering every row (a window function over a
 * sequential scan) costs about twice as much.
 */
final class PageRunCounts {
  /** A chunk aims at this fraction of a run's rows, so merged runs are at least 7/8 full. */
  private static final int CHUNKS_PER_RUN = 8;

  /** At most this many chunks per statement; a larger table gets larger chunks. */
  private static final int MAX_CHUNKS = 100_000;

  /**
   * At most this many pages have their tuples listed; a batch size so small that more pages hold
   * over a quarter of a batch is cut by numbering the rows instead ({@link #numbered}).
   */
  private static final int MAX_PAGES_LISTED = 64;

  /** Rows per page assumed for a table the catalog has no statistics for. */
  private static final double UNKNOWN_DENSITY = 60;

  /** A tuple id {@code (page, offset)} as one number: {@code page * 65536 + offset}. */
  private static final long PAGE = 1L << 16;

  private final Connection connection;
  private final String relation;
  private final int rowsPerRun;

  private PageRunCounts(Connection connection, String relation, int rowsPerRun) {
    this.connection = connection;
    this.relation = relation;
    this.rowsPerRun = rowsPerRun;
  }

  static HeapOrder.Cuts cut(Connection c, Dialect dialect, TableRef table, int rowsPerRun)
      throws SQLException {
    return new PageRunCounts(c, dialect.qualified(table), Math.max(1, rowsPerRun)).cut();
  }

  /** A half-open range of tuple ids and the rows the snapshot sees in it. */
  private static final class Chunk {
    final long low;
    final long high;
    long rows;

    Chunk(long low, long high) {
      this.low = low;
      this.high = high;
    }

    boolean onePage() {
      return high - low <= PAGE;
    }
  }

  private HeapOrder.Cuts cut() throws SQLException {
    long pages;
    double density;
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT pg_relation_size(c.oid) / current_setting('block_size')::bigint, "
                + "c.reltuples, c.relpages FROM pg_class c WHERE c.oid = ?::regclass")) {
      ps.setString(1, relation);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        pages = rs.getLong(1);
        density =
            rs.getDouble(2) > 0 && rs.getLong(3) > 0
                ? rs.getDouble(2) / rs.getLong(3)
                : UNKNOWN_DENSITY;
      }
    }
    if (pages == 0) {
      return new HeapOrder.Cuts(0, List.of());
    }
    if (density * 4 > rowsPerRun) {
      return numbered();
    }
    long chunkPages =
        Math.max(1, (long) Math.floor(rowsPerRun / (double) CHUNKS_PER_RUN / density));
    chunkPages = Math.max(chunkPages, (pages + MAX_CHUNKS - 1) / MAX_CHUNKS);
    List<Chunk> chunks = new ArrayList<>();
    for (long page = 0; page < pages; page += chunkPages) {
      chunks.add(new Chunk(page * PAGE, Math.min(pages, page + chunkPages) * PAGE));
    }
    Map<String, String> previous = setLocally("enable_seqscan", "off");
    count(chunks);
    chunks = refined(chunks);
    restore(previous);
    if (chunks == null) {
      return numbered();
    }
    List<List<String>> cuts = new ArrayList<>();
    long rows = 0;
    long run = 0;
    for (Chunk chunk : chunks) {
      if (run > 0 && run + chunk.rows > rowsPerRun) {
        cuts.add(List.of(tid(chunk.low)));
        run = 0;
      }
      run += chunk.rows;
      rows += chunk.rows;
    }
    return new HeapOrder.Cuts(rows, cuts);
  }

  /**
   * Cuts by numbering: one sequential scan (synchronized and parallel scans off for it, so it
   * starts at page 0 and keeps page order) keeps the tuple id of every {@code rowsPerRun}-th row,
   * checked to ascend, and the rows are the cuts times the run plus a count of the last run. For
   * batch sizes near a page's rows, where counting chunks would list most pages' tuples.
   */
  private HeapOrder.Cuts numbered() throws SQLException {
    Map<String, String> previous =
        setLocally("synchronize_seqscans", "off", "max_parallel_workers_per_gather", "0");
    List<List<String>> cuts = new ArrayList<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT ml_q.id FROM (SELECT ctid::text AS id, row_number() OVER () AS rn FROM "
                + relation
                + ") ml_q WHERE ml_q.rn % ? = 1 AND ml_q.rn > 1")) {
      ps.setLong(1, rowsPerRun);
      try (ResultSet rs = ps.executeQuery()) {
        long last = -1;
        while (rs.next()) {
          long at = position(rs.getString(1));
          if (at <= last) {
            throw new SQLException(
                "the scan of "
                    + relation
                    + " did not return rows in page order ("
                    + rs.getString(1)
                    + " after "
                    + tid(last)
                    + ")");
          }
          last = at;
          cuts.add(List.of(rs.getString(1)));
        }
      }
    }
    restore(previous);
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT count(*) FROM " + relation + (cuts.isEmpty() ? "" : " WHERE ctid >= ?::tid"))) {
      if (!cuts.isEmpty()) {
        ps.setString(1, cuts.get(cuts.size() - 1).get(0));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new HeapOrder.Cuts((long) cuts.size() * rowsPerRun + rs.getLong(1), cuts);
      }
    }
  }

  /**
   * Splits every chunk of more than a quarter of a run's rows, so that merged runs are at least
   * three quarters full: a chunk of several pages into parts of about an eighth of a run, counted
   * again, and a chunk of one page into one part per tuple, from the page's tuple ids. Null when
   * more than {@link #MAX_PAGES_LISTED} pages would be listed: numbering the rows is cheaper then.
   */
  private List<Chunk> refined(List<Chunk> chunks) throws SQLException {
    int listed = 0;
    while (chunks.stream().anyMatch(this::overfull)) {
      List<Chunk> next = new ArrayList<>();
      List<Chunk> parts = new ArrayList<>();
      for (Chunk chunk : chunks) {
        if (!overfull(chunk)) {
          next.add(chunk);
        } else if (chunk.onePage()) {
          if (++listed > MAX_PAGES_LISTED) {
            return null;
          }
          next.addAll(tuples(chunk));
        } else {
          List<Chunk> split = pages(chunk);
          next.addAll(split);
          parts.addAll(split);
        }
      }
      for (int from = 0; from < parts.size(); from += MAX_CHUNKS) {
        count(parts.subList(from, Math.min(parts.size(), from + MAX_CHUNKS)));
      }
      chunks = next;
    }
    return chunks;
  }

  private boolean overfull(Chunk chunk) {
    return chunk.rows * 4 > rowsPerRun && chunk.rows > 1;
  }

  private List<Chunk> pages(Chunk chunk) {
    long first = chunk.low / PAGE;
    long end = chunk.high / PAGE;
    long parts = Math.min(end - first, Math.max(2, chunk.rows * CHUNKS_PER_RUN / rowsPerRun));
    long step = (end - first + parts - 1) / parts;
    List<Chunk> out = new ArrayList<>();
    for (long page = first; page < end; page += step) {
      out.add(new Chunk(page * PAGE, Math.min(end, page + step) * PAGE));
    }
    return out;
  }

  /** One chunk per tuple the snapshot sees on the chunk's page, each holding that tuple. */
  private List<Chunk> tuples(Chunk chunk) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT ml_t.ctid::text AS ml_id FROM "
                + relation
                + " ml_t WHERE ml_t.ctid >= ?::tid AND ml_t.ctid < ?::tid ORDER BY ml_t.ctid")) {
      ps.setString(1, tid(chunk.low));
      ps.setString(2, tid(chunk.high));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(position(rs.getString(1)));
        }
      }
    }
    List<Chunk> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      Chunk one =
          new Chunk(
              i == 0 ? chunk.low : ids.get(i), i == ids.size() - 1 ? chunk.high : ids.get(i + 1));
      one.rows = 1;
      out.add(one);
    }
    return out;
  }

  /**
   * Counts every chunk, each by its own TID range scan (sequential scans are off), in one
   * statement.
   */
  private void count(List<Chunk> chunks) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT (SELECT count(*) FROM "
                + relation
                + " WHERE ctid >= r.lo AND ctid < r.hi) FROM unnest(?::tid[], ?::tid[]) WITH ORDINALITY AS r(lo, hi, n) ORDER BY r.n")) {
      ps.setString(1, array(chunks, true));
      ps.setString(2, array(chunks, false));
      try (ResultSet rs = ps.executeQuery()) {
        for (Chunk chunk : chunks) {
          if (!rs.next()) {
            throw new SQLException(
                "counting the runs of pages of " + relation + " returned fewer rows than runs");
          }
          chunk.rows = rs.getLong(1);
        }
      }
    }
  }

  /**
   * Sets each {@code name, value} pair for the rest of the transaction and returns the values they
   * had, for {@link #restore}. After a failure the caller's rollback (to its savepoint, or of the
   * transaction) restores them instead.
   */
  private Map<String, String> setLocally(String... namesAndValues) throws SQLException {
    Map<String, String> previous = new LinkedHashMap<>();
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT current_setting(?), set_config(?, ?, true)")) {
      for (int i = 0; i < namesAndValues.length; i += 2) {
        ps.setString(1, namesAndValues[i]);
        ps.setString(2, namesAndValues[i]);
        ps.setString(3, namesAndValues[i + 1]);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          previous.put(namesAndValues[i], rs.getString(1));
        }
      }
    }
    return previous;
  }

  private void restore(Map<String, String> previous) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT set_config(?, ?, true)")) {
      for (Map.Entry<String, String> setting : previous.entrySet()) {
        ps.setString(1, setting.getKey());
        ps.setString(2, setting.getValue());
        ps.execute();
      }
    }
  }

  private static String array(List<Chunk> chunks, boolean low) {
    StringBuilder out = new StringBuilder("{");
    for (Chunk chunk : chunks) {
      out.append(out.length() > 1 ? "," : "")
          .append('"')
          .append(tid(low ? chunk.low : chunk.high))
          .append('"');
    }
    return out.append('}').toString();
  }

  private static long position(String tid) throws SQLException {
    int comma = tid.indexOf(',');
    if (!tid.startsWith("(") || !tid.endsWith(")") || comma < 0) {
      throw new SQLException("not a tuple id: " + tid);
    }
    return Long.parseLong(tid.substring(1, comma)) * PAGE
        + Long.parseLong(tid.substring(comma + 1, tid.length() - 1));
  }

  private static String tid(long position) {
    return "(" + position / PAGE + "," + position % PAGE + ")";
  }
}

package io.metaload.pipelines.cli;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TestDatabases;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A source table of orders that a test changes day by day, and beside it in the source database the
 * table the target must equal after the next delta run ({@code <table>_expected}). Each change says
 * whether the load's mode carries it: carried changes are copied into the expected table, the
 * others leave it as the target last saw it.
 */
final class DeltaSource {
  static final String COLUMNS = "id, amount, status, updated_at, event_at";

  final ConnectionSpec spec;
  final String table;
  final String expected;
  private final boolean maria;

  DeltaSource(ConnectionSpec spec, String table) {
    this.spec = spec;
    this.table = table;
    this.expected = table + "_expected";
    this.maria = spec.url().startsWith("jdbc:mariadb:");
  }

  /**
   * {@code rows} orders with ids 1..rows except {@code gap}, stamped up to 100 hours (updated_at)
   * and 10 days (event_at) ago.
   */
  DeltaSource create(int rows, List<Long> gap) {
    String ts = maria ? "DATETIME(6)" : "TIMESTAMP(6)";
    for (String t : List.of(table, expected)) {
      TestDatabases.execute(spec, "DROP TABLE IF EXISTS " + t);
      TestDatabases.execute(
          spec,
          "CREATE TABLE "
              + t
              + " (id BIGINT NOT NULL PRIMARY KEY, amount DECIMAL(12,2) NOT NULL, "
              + "status VARCHAR(16) NOT NULL, updated_at "
              + ts
              + " NOT NULL, event_at "
              + ts
              + " NOT NULL)");
    }
    TestDatabases.execute(
        spec,
        "CREATE INDEX " + table + "_updated ON " + table + " (updated_at)",
        "CREATE INDEX " + table + "_event ON " + table + " (event_at)");
    LocalDateTime now = LocalDateTime.now().withNano(0);
    try (Connection c = spec.open();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
      c.setAutoCommit(false);
      for (long id = 1; id <= rows; id++) {
        if (gap.contains(id)) {
          continue;
        }
        ps.setLong(1, id);
        ps.setBigDecimal(2, BigDecimal.valueOf(id * 7 % 10_000, 2));
        ps.setString(3, "new");
        ps.setObject(4, now.minusHours(1 + id % 100).minusSeconds(id % 3600));
        ps.setObject(5, now.minusHours(1 + id % 240));
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    TestDatabases.execute(spec, "INSERT INTO " + expected + " SELECT * FROM " + table);
    return this;
  }

  /** New rows stamped now by the source's clock (event_at {@code eventAgoHours} back). */
  void insert(List<Long> ids, int eventAgoHours, boolean carried) {
    for (long id : ids) {
      TestDatabases.execute(
          spec,
          "INSERT INTO "
              + table
              + " ("
              + COLUMNS
              + ") VALUES ("
              + id
              + ", "
              + (id % 1000)
              + ".25, 'new', "
              + now()
              + ", "
              + hoursAgo(eventAgoHours)
              + ")");
    }
    sync(ids, carried);
  }

  /** Updates rows, stamping them now by the source's clock. */
  void update(List<Long> ids, String status, boolean carried) {
    TestDatabases.execute(
        spec,
        "UPDATE "
            + table
            + " SET amount = amount + 1, status = '"
            + status
            + "', updated_at = "
            + now()
            + " WHERE id IN ("
            + in(ids)
            + ")");
    sync(ids, carried);
  }

  /**
   * Updates rows as a late writer would: stamped {@code stamp}, which is before the last published
   * watermark.
   */
  void updateLate(List<Long> ids, LocalDateTime stamp, boolean carried) {
    try (Connection c = spec.open();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE "
                    + table
                    + " SET amount = amount + 100, status = 'late', updated_at = ? WHERE id IN ("
                    + in(ids)
                    + ")")) {
      ps.setObject(1, stamp);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    sync(ids, carried);
  }

  /**
   * Moves rows' event_at to {@code hours} from now (negative: into the past), stamping them now.
   */
  void moveEvent(List<Long> ids, int hours, boolean carried) {
    String at =
        hours < 0
            ? hoursAgo(-hours)
            : maria
                ? "NOW(6) + INTERVAL " + hours + " HOUR"
                : "LOCALTIMESTAMP + INTERVAL '" + hours + " hours'";
    TestDatabases.execute(
        spec,
        "UPDATE "
            + table
            + " SET status = 'moved', event_at = "
            + at
            + ", updated_at = "
            + now()
            + " WHERE id IN ("
            + in(ids)
            + ")");
    sync(ids, carried);
  }

  void delete(List<Long> ids, boolean carried) {
    TestDatabases.execute(spec, "DELETE FROM " + table + " WHERE id IN (" + in(ids) + ")");
    sync(ids, carried);
  }

  /** Ids whose event_at lies between {@code fromHours} and {@code toHours} ago, lowest first. */
  List<Long> idsWithEventBetween(int fromHoursAgo, int toHoursAgo, int limit) {
    String sql =
        "SELECT id FROM "
            + table
            + " WHERE event_at > "
            + hoursAgo(fromHoursAgo)
            + " AND event_at < "
            + hoursAgo(toHoursAgo)
            + " ORDER BY id";
    try (Connection c = spec.open();
        Statement s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      List<Long> out = new ArrayList<>();
      while (rs.next() && out.size() < limit) {
        out.add(rs.getLong(1));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void sync(List<Long> ids, boolean carried) {
    if (maria) {
      awaitFencePast();
    }
    if (carried) {
      TestDatabases.execute(
          spec,
          "DELETE FROM " + expected + " WHERE id IN (" + in(ids) + ")",
          "INSERT INTO " + expected + " SELECT * FROM " + table + " WHERE id IN (" + in(ids) + ")");
    }
  }

  /**
   * Waits until MariaDB's clock is past the table's newest stamp by more than the 250 ms its fence
   * keeps below the clock (its transaction list is a cache), so the next run's window holds it.
   */
  private void awaitFencePast() {
    TestDatabases.awaitTrue(
        spec,
        "SELECT TIMESTAMPDIFF(MICROSECOND, MAX(updated_at), NOW(6)) > 300000 FROM " + table,
        10);
  }

  private String now() {
    return maria ? "NOW(6)" : "clock_timestamp()";
  }

  private String hoursAgo(int hours) {
    return maria
        ? "NOW(6) - INTERVAL " + hours + " HOUR"
        : "LOCALTIMESTAMP - INTERVAL '" + hours + " hours'";
  }

  private static String in(List<Long> ids) {
    return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  static List<Long> range(long from, int count) {
    return LongStream.range(from, from + count).boxed().collect(Collectors.toList());
  }
}

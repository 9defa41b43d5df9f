package io.metaload.metadata.plan;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The upper bound of a delta window, taken before the run's snapshot: a value below which every
 * row that will ever exist has already committed, so a window that stops there loses no row to
 * a transaction that commits later.
 *
 * <ul>
 *   <li>Dates and timestamps: the earlier of the source's clock and the start of its oldest open
 *       transaction (PostgreSQL {@code pg_stat_activity.xact_start}, MariaDB
 *       {@code information_schema.innodb_trx.trx_started}), minus {@code fenceMargin}. A row
 *       stamped by the source's clock inside a transaction is stamped no earlier than that
 *       transaction started, so one still open can only commit values at or above the fence.
 *   <li>Integers (sequences, versions): the largest committed value plus one, after waiting (at
 *       most {@code fenceWait}) for every transaction open just after it was read: a smaller
 *       value not yet committed was taken before the largest one, by a transaction that was
 *       open then, so it is either visible to the snapshot exported afterwards or waited for.
 * </ul>
 *
 * H2 reports no open transactions: its fence is the clock or the largest value. The fence is
 * taken on a connection of its own, in autocommit, before the snapshot is exported.
 */
public final class WatermarkFence {
  private static final long POLL_MILLIS = 100;

  @Nullable private final Long position;
  private final String basis;

  private WatermarkFence(@Nullable Long position, String basis) {
    this.position = position;
    this.basis = basis;
  }

  /** The fence as a position of the column's type; null when an integer column has no rows. */
  @Nullable
  public Long position() {
    return position;
  }

  /** What the fence was derived from, for the run's log. */
  public String basis() {
    return basis;
  }

  /** A fence at a given position (tests, and sources whose fence is known). */
  public static WatermarkFence at(@Nullable Long position, String basis) {
    return new WatermarkFence(position, basis);
  }

  /** Takes the fence for {@code column} of {@code table} on {@code c} (autocommit, not in a snapshot). */
  public static WatermarkFence take(Connection c, Dialect dialect, TableRef table, Column column, SplitKeyType type, Duration margin,
      Duration wait) throws SQLException {
    return type.temporal() ? clockFence(c, dialect, type, margin) : valueFence(c, dialect, table, column, wait);
  }

  private static WatermarkFence clockFence(Connection c, Dialect dialect, SplitKeyType type, Duration margin) throws SQLException {
    String sql;
    switch (dialect.name()) {
      case "postgresql":
        sql = "WITH o AS (SELECT min(xact_start) AS oldest FROM pg_stat_activity WHERE backend_type = 'client backend' "
            + "AND datname = current_database() AND xact_start IS NOT NULL AND pid <> pg_backend_pid() "
            + "AND application_name <> '" + SourceSnapshot.APPLICATION_NAME + "'), "
            + "f AS (SELECT LEAST(clock_timestamp(), COALESCE(oldest, clock_timestamp())) AS fence, oldest FROM o) "
            + "SELECT fence, fence::timestamp, oldest IS NOT NULL AND oldest = fence FROM f";
        break;
      case "mariadb":
        sql = "SELECT NULL, LEAST(NOW(6), COALESCE(MIN(trx_started), NOW(6))), MIN(trx_started) IS NOT NULL AND MIN(trx_started) < NOW(6) "
            + "FROM information_schema.innodb_trx WHERE trx_mysql_thread_id <> CONNECTION_ID()";
        break;
      default:
        sql = "SELECT CURRENT_TIMESTAMP(6), LOCALTIMESTAMP(6), FALSE";
    }
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      OffsetDateTime instant = rs.getObject(1) == null ? null : rs.getObject(1, OffsetDateTime.class);
      LocalDateTime local = rs.getObject(2, LocalDateTime.class);
      boolean heldBack = rs.getBoolean(3);
      String basis = (heldBack ? "start of the oldest open transaction on the source, " : "source clock, ") + local
          + (margin.isZero() ? "" : ", minus fenceMargin " + margin);
      long micros = margin.toNanos() / 1_000;
      switch (type) {
        case DATE:
          return new WatermarkFence(type.toPosition(local.minusNanos(micros * 1_000).toLocalDate()), basis);
        case TIMESTAMP:
          return new WatermarkFence(type.toPosition(local) - micros, basis);
        default:
          OffsetDateTime at = instant == null ? local.atOffset(java.time.ZoneOffset.UTC) : instant;
          return new WatermarkFence(type.toPosition(at) - micros, basis);
      }
    }
  }

  private static WatermarkFence valueFence(Connection c, Dialect dialect, TableRef table, Column column, Duration wait)
      throws SQLException {
    Long max;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(" + dialect.quote(column.name()) + ") FROM " + dialect.qualified(table))) {
      rs.next();
      long v = rs.getLong(1);
      max = rs.wasNull() ? null : v;
    }
    if (max != null && max == Long.MAX_VALUE) {
      throw MetaloadException.badConfig("delta column " + table + "." + column.name() + " reaches the largest possible value; "
          + "metaload needs one position above the maximum");
    }
    List<String> open = openTransactions(c, dialect);
    long deadline = System.nanoTime() + wait.toNanos();
    List<String> waiting = open;
    while (!waiting.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new MetaloadException(ExitCode.LOAD_FAILED, waiting.size() + " transaction(s) open on the source since before the fence on "
            + table + "." + column.name() + " was read did not end within delta.fenceWait " + wait + " (" + String.join(", ", waiting)
            + "); they may still commit rows with " + column.name() + " <= " + max + ". End them, or raise delta.fenceWait");
      }
      sleep();
      List<String> now = openTransactions(c, dialect);
      waiting = new ArrayList<>(waiting);
      waiting.retainAll(now);
    }
    String basis = "largest committed " + column.name() + " " + (max == null ? "(none: the table is empty)" : max)
        + (open.isEmpty() ? "" : ", after " + open.size() + " open transaction(s) ended");
    return new WatermarkFence(max == null ? null : max + 1, basis);
  }

  /** Open transactions of other sessions, each as a string that stays equal while the transaction lasts. */
  private static List<String> openTransactions(Connection c, Dialect dialect) throws SQLException {
    String sql;
    switch (dialect.name()) {
      case "postgresql":
        sql = "SELECT 'pid ' || pid || ' since ' || xact_start FROM pg_stat_activity WHERE backend_type = 'client backend' "
            + "AND datname = current_database() AND xact_start IS NOT NULL AND pid <> pg_backend_pid() AND application_name <> ?";
        break;
      case "mariadb":
        sql = "SELECT CONCAT('thread ', trx_mysql_thread_id, ' transaction ', trx_id, ' since ', trx_started) "
            + "FROM information_schema.innodb_trx WHERE trx_mysql_thread_id <> CONNECTION_ID() AND ? IS NOT NULL";
        break;
      default:
        return List.of();
    }
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, SourceSnapshot.APPLICATION_NAME);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the source's open transactions", e);
    }
  }
}

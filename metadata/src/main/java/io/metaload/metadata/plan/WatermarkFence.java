package io.metaload.metadata.plan;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.dialect.FenceQueries;
import io.metaload.metadata.dialect.SourceZone;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.Durations;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * The upper bound of a delta window, taken before the run's snapshot: a value below which every row
 * that will ever exist has already committed, so a window that stops there loses no row to a
 * transaction that commits later.
 *
 * <ul>
 *   <li>Dates and timestamps: the earlier of the source's clock and the start of its oldest open
 *       transaction ({@link FenceQueries}), minus what the database's transaction list may lag
 *       ({@link FenceQueries#staleness()}) and {@code fenceMargin}, rounded down to the column's
 *       fractional digits (a value stamped after the fence can be stored rounded or truncated below
 *       it). A zone-less column's fence is that instant in the zone the source stamps in ({@code
 *       delta.timeZone}, else the server's default zone), never the launcher's.
 *   <li>Integers (sequences, versions): the largest committed value plus one, after waiting (at
 *       most {@code fenceWait}) for every transaction open just after it was read: a smaller value
 *       not yet committed was taken before the largest one, by a transaction that was open then, so
 *       it is either visible to the snapshot exported afterwards or waited for.
 * </ul>
 *
 * Prepared transactions, whose start the source does not record, are waited for (at most {@code
 * fenceWait}) before the clock is read. H2 reports no open transactions: its fence is the clock or
 * the largest value. The fence is taken on a connection of its own, in autocommit, before the
 * snapshot is exported.
 */
public final class WatermarkFence {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(WatermarkFence.class);
  private static final long POLL_MILLIS = 100;

  @Nullable private final Long position;
  private final String basis;
  @Nullable private final SourceZone zone;

  private WatermarkFence(@Nullable Long position, String basis, @Nullable SourceZone zone) {
    this.position = position;
    this.basis = basis;
    this.zone = zone;
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

  /** The zone a date or timestamp column is stamped in; null for integers. */
  @Nullable
  public SourceZone zone() {
    return zone;
  }

  /** A fence at a given position (tests, and sources whose fence is known). */
  public static WatermarkFence at(@Nullable Long position, String basis) {
    return new WatermarkFence(position, basis, null);
  }

  /**
   * Takes the fence for {@code column} of {@code table} on {@code c} (autocommit, not in a
   * snapshot) with {@code d}'s delta settings.
   */
  public static WatermarkFence take(
      Connection c,
      Dialect dialect,
      TableRef table,
      Column column,
      SplitKeyType type,
      LoadDefinition d)
      throws SQLException {
    List<String> blind = FenceVisibility.check(c, dialect, d, table, column, type);
    String caveat = blind.isEmpty() ? "" : "; " + String.join("; ", blind);
    Duration wait = Durations.parse(d.fenceWait());
    if (!type.temporal()) {
      return valueFence(c, dialect, table, column, wait, caveat);
    }
    SourceZone zone =
        d.deltaTimeZone() != null
            ? SourceZone.of(ZoneId.of(d.deltaTimeZone()), "delta.timeZone")
            : dialect.fenceQueries().defaultZone(c);
    return clockFence(
        c, dialect, type, table, column, Durations.parse(d.fenceMargin()), wait, zone, caveat);
  }

  private static WatermarkFence clockFence(
      Connection c,
      Dialect dialect,
      SplitKeyType type,
      TableRef table,
      Column column,
      Duration margin,
      Duration wait,
      SourceZone zone,
      String caveat)
      throws SQLException {
    FenceQueries q = dialect.fenceQueries();
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Instant clock = q.clock(c);
      Optional<Instant> oldest = q.oldestOpenTransaction(c, SourceSnapshot.APPLICATION_NAME);
      List<String> prepared = q.sessionlessTransactions(c);
      if (!prepared.isEmpty()) {
        awaitEnd(c, q, prepared, deadline, wait, "below the fence");
        continue;
      }
      boolean heldBack = oldest.isPresent() && oldest.get().isBefore(clock);
      Instant fence = (heldBack ? oldest.get() : clock).minus(q.staleness()).minus(margin);
      int digits = q.fractionalDigits(c, table, column);
      String basis =
          (heldBack ? "start of the oldest open transaction on the source, " : "source clock, ")
              + fence.plus(q.staleness()).plus(margin)
              + (q.staleness().isZero()
                  ? ""
                  : ", minus "
                      + q.staleness().toMillis()
                      + " ms the source's transaction list may lag")
              + (margin.isZero() ? "" : ", minus fenceMargin " + margin)
              + (type == SplitKeyType.TIMESTAMP_TZ ? "" : ", in " + zone.describe())
              + (type != SplitKeyType.DATE && digits < 6
                  ? ", rounded down to the column's " + digits + " fractional digits"
                  : "")
              + caveat;
      switch (type) {
        case DATE:
          return new WatermarkFence(
              type.toPosition(LocalDate.ofInstant(fence, zone.zone())), basis, zone);
        case TIMESTAMP:
          return new WatermarkFence(
              floor(type.toPosition(LocalDateTime.ofInstant(fence, zone.zone())), digits),
              basis,
              zone);
        default:
          return new WatermarkFence(
              floor(type.toPosition(OffsetDateTime.ofInstant(fence, ZoneOffset.UTC)), digits),
              basis,
              zone);
      }
    }
  }

  /** {@code micros} rounded down to a multiple of {@code 10^(6 - digits)}. */
  static long floor(long micros, int digits) {
    long unit = (long) Math.pow(10, 6 - digits);
    return Math.floorDiv(micros, unit) * unit;
  }

  private static WatermarkFence valueFence(
      Connection c, Dialect dialect, TableRef table, Column column, Duration wait, String caveat)
      throws SQLException {
    Long max;
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT MAX("
                    + dialect.quote(column.name())
                    + ") FROM "
                    + dialect.qualified(table))) {
      rs.next();
      long v = rs.getLong(1);
      max = rs.wasNull() ? null : v;
    }
    if (max != null && max == Long.MAX_VALUE) {
      throw MetaloadException.badConfig(
          "delta column "
              + table
              + "."
              + column.name()
              + " reaches the largest possible value; "
              + "metaload needs one position above the maximum");
    }
    FenceQueries q = dialect.fenceQueries();
    List<String> open = new ArrayList<>(q.openTransactions(c, SourceSnapshot.APPLICATION_NAME));
    open.addAll(q.sessionlessTransactions(c));
    awaitEnd(
        c,
        q,
        open,
        System.nanoTime() + wait.toNanos(),
        wait,
        "with " + column.name() + " <= " + max);
    String basis =
        "largest committed "
            + column.name()
            + " "
            + (max == null ? "(none: the table is empty)" : max)
            + (open.isEmpty() ? "" : ", after " + open.size() + " open transaction(s) ended")
            + caveat;
    return new WatermarkFence(max == null ? null : max + 1, basis, null);
  }

  /** Waits until none of {@code open} is open any more; fails naming them at the deadline. */
  private static void awaitEnd(
      Connection c, FenceQueries q, List<String> open, long deadline, Duration wait, String rows)
      throws SQLException {
    List<String> waiting = open;
    if (!waiting.isEmpty()) {
      LOG.info(
          "delta fence: waiting up to {} for {} transaction(s) open on the source to end: {}",
          wait,
          waiting.size(),
          String.join(", ", waiting));
    }
    while (!waiting.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new MetaloadException(
            ExitCode.LOAD_FAILED,
            waiting.size()
                + " transaction(s) open on the source since before the delta "
                + "fence was read did not end within delta.fenceWait "
                + wait
                + " ("
                + String.join(", ", waiting)
                + "); they may still commit "
                + "rows "
                + rows
                + ". End them (COMMIT PREPARED or ROLLBACK PREPARED for a prepared one), or raise delta.fenceWait");
      }
      sleep();
      List<String> now = new ArrayList<>(q.openTransactions(c, SourceSnapshot.APPLICATION_NAME));
      now.addAll(q.sessionlessTransactions(c));
      waiting = new ArrayList<>(waiting);
      waiting.retainAll(now);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while waiting for the source's open transactions", e);
    }
  }
}

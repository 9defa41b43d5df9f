package io.metaload.metadata.dialect;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * What a delta fence asks a source database: its clock, the start of its oldest open transaction,
 * which transactions are open, what it cannot see, and which zone it stamps local date-times in. A
 * database with no transaction monitoring (H2) reports none; each dialect with one overrides these.
 * Obtain one with {@link Dialect#fenceQueries()}.
 */
public class FenceQueries {
  /** The source's clock, read before anything else the fence looks at. */
  public Instant clock(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP(6)")) {
      rs.next();
      return rs.getObject(1, OffsetDateTime.class).toInstant();
    }
  }

  /**
   * The earliest moment a transaction open now may have stamped a row with, over every session but
   * this one and those named {@code ownApplication}; empty when none is open.
   */
  public Optional<Instant> oldestOpenTransaction(Connection c, String ownApplication)
      throws SQLException {
    return Optional.empty();
  }

  /**
   * Open transactions of other sessions, each as a string that stays equal while the transaction
   * lasts.
   */
  public List<String> openTransactions(Connection c, String ownApplication) throws SQLException {
    return List.of();
  }

  /**
   * Transactions the source holds open without a session (PostgreSQL prepared transactions), as
   * strings that stay equal while each lasts; the fence waits for them, since their start is
   * unknown.
   */
  public List<String> sessionlessTransactions(Connection c) throws SQLException {
    return List.of();
  }

  /**
   * Why this session cannot see every transaction that may still commit rows (no right to read
   * other roles' sessions, monitoring off, a standby); empty when it sees them all.
   */
  public List<String> blindSpots(Connection c) throws SQLException {
    return List.of();
  }

  /**
   * Why committed values of the integer column {@code column} may not be handed out in the order
   * their transactions start (a sequence cached per session, interleaved cluster nodes); empty when
   * they are.
   */
  public Optional<String> unorderedIntegers(Connection c, TableRef table, Column column)
      throws SQLException {
    return Optional.empty();
  }

  /**
   * The fractional digits {@code column} stores (0 to 6), from {@code information_schema.columns}
   * ({@code datetime_precision}), which the JDBC drivers do not all report; the column's scale
   * where the catalog has no row.
   */
  public int fractionalDigits(Connection c, TableRef table, Column column) throws SQLException {
    String sql =
        "SELECT MIN(datetime_precision) FROM information_schema.columns WHERE table_name = ? AND column_name = ?"
            + (table.schema() == null ? "" : " AND table_schema = ?");
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, table.table());
      ps.setString(2, column.name());
      if (table.schema() != null) {
        ps.setString(3, table.schema());
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        int digits = rs.getInt(1);
        return Math.max(0, Math.min(6, rs.wasNull() ? column.scale() : digits));
      }
    }
  }

  /**
   * How stale {@link #oldestOpenTransaction} may be (a cached transaction list), subtracted from
   * the fence.
   */
  public Duration staleness() {
    return Duration.ZERO;
  }

  /**
   * The zone a session gets when its client does not choose one: what writers stamp local
   * date-times in.
   */
  public SourceZone defaultZone(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'TIME ZONE'")) {
      if (rs.next() && rs.getString(1) != null) {
        return SourceZone.of(ZoneId.of(rs.getString(1)), "the database session's TIME ZONE");
      }
    } catch (SQLException e) {
      // an H2 without the setting: its sessions use the JVM's zone
    }
    return SourceZone.of(
        ZoneId.systemDefault(), "the JVM's zone, which an embedded H2 database stamps in");
  }
}

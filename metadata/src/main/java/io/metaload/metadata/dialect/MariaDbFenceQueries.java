package io.metaload.metadata.dialect;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.TableRef;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MariaDB's fence queries: {@code information_schema.innodb_trx}, whose list is a cache refreshed
 * at most every 0.1 s and whose {@code trx_started} is in whole seconds, taken after a statement's
 * {@code NOW()}; the fence therefore stays {@link #staleness()} below what it reports.
 */
final class MariaDbFenceQueries extends FenceQueries {
  private static final Duration STALENESS = Duration.ofMillis(250);

  @Override
  public Instant clock(Connection c) throws SQLException {
    return epoch(c, "SELECT UNIX_TIMESTAMP(NOW(6))").orElseThrow();
  }

  @Override
  public Optional<Instant> oldestOpenTransaction(Connection c, String ownApplication)
      throws SQLException {
    return epoch(
        c,
        "SELECT UNIX_TIMESTAMP(MIN(trx_started)) FROM information_schema.innodb_trx WHERE trx_mysql_thread_id <> CONNECTION_ID()");
  }

  @Override
  public List<String> openTransactions(Connection c, String ownApplication) throws SQLException {
    return strings(
        c,
        "SELECT CONCAT('thread ', trx_mysql_thread_id, ' transaction ', trx_id, ' since ', trx_started) "
            + "FROM information_schema.innodb_trx WHERE trx_mysql_thread_id <> CONNECTION_ID()");
  }

  @Override
  public Duration staleness() {
    return STALENESS;
  }

  @Override
  public List<String> blindSpots(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    List<String> process =
        strings(
            c,
            "SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE IN ('PROCESS', 'SUPER') "
                + "AND GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')");
    if (process.get(0).equals("0")) {
      out.add(
          "cannot see other sessions' transactions: "
              + c.getMetaData().getUserName()
              + " lacks the PROCESS privilege (GRANT PROCESS ON *.* TO ...)");
    }
    if (galera(c)) {
      out.add(
          "the source is a Galera cluster node (wsrep_on): it cannot see transactions open on the other nodes");
    }
    List<String> replicas =
        strings(
            c,
            "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'SLAVES_RUNNING'");
    if (!replicas.isEmpty()
        && !replicas.get(0).equals("0")
        && !replicas.get(0).equalsIgnoreCase("OFF")) {
      out.add(
          "the source is a replica (Slaves_running "
              + replicas.get(0)
              + "): it cannot see the primary's open transactions");
    }
    return out;
  }

  @Override
  public Optional<String> unorderedIntegers(Connection c, TableRef table, Column column)
      throws SQLException {
    List<String> increment = strings(c, "SELECT @@auto_increment_increment");
    if (galera(c)) {
      return Optional.of(
          "the source is a Galera node: values of "
              + column.name()
              + " are handed out by several nodes, interleaved "
              + "(auto_increment_increment "
              + increment.get(0)
              + "), and commit out of order across them");
    }
    if (!increment.get(0).equals("1")) {
      return Optional.of(
          "auto_increment_increment is "
              + increment.get(0)
              + ": values of "
              + column.name()
              + " are interleaved with another writer's (multi-primary replication) and commit out of order across them");
    }
    return Optional.empty();
  }

  @Override
  public SourceZone defaultZone(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT @@session.time_zone, @@system_time_zone, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(6), NOW(6))")) {
      rs.next();
      String session = rs.getString(1);
      String system = rs.getString(2);
      ZoneOffset offset = ZoneOffset.ofTotalSeconds((int) (Math.round(rs.getLong(3) / 60.0) * 60));
      if (!"SYSTEM".equalsIgnoreCase(session)) {
        return zoneOr(session, offset, "the session's time_zone");
      }
      return zoneOr(system, offset, "the server's system time zone (time_zone SYSTEM)");
    }
  }

  private static SourceZone zoneOr(String name, ZoneOffset offset, String basis) {
    try {
      return SourceZone.of(ZoneId.of(name), basis);
    } catch (DateTimeException e) {
      return SourceZone.of(
          offset,
          basis
              + " '"
              + name
              + "', which Java does not know: its offset now; set delta.timeZone for "
              + "daylight-saving rules");
    }
  }

  private static boolean galera(Connection c) throws SQLException {
    List<String> on =
        strings(
            c,
            "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME = 'WSREP_ON'");
    return !on.isEmpty() && on.get(0).equalsIgnoreCase("ON");
  }

  private static Optional<Instant> epoch(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      BigDecimal seconds = rs.getBigDecimal(1);
      if (seconds == null) {
        return Optional.empty();
      }
      long micros = seconds.movePointRight(6).longValueExact();
      return Optional.of(Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
    }
  }

  private static List<String> strings(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}

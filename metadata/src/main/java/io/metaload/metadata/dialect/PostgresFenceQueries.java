package io.metaload.metadata.dialect;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL's fence queries: {@code pg_stat_activity} for sessions in a transaction (client
 * backends, background and logical replication workers), {@code pg_prepared_xacts} for prepared
 * transactions, and the server's default {@code TimeZone} rather than the session's, which the JDBC
 * driver sets to the launcher JVM's zone.
 */
final class PostgresFenceQueries extends FenceQueries {
  private final PostgresDialect dialect;

  PostgresFenceQueries(PostgresDialect dialect) {
    this.dialect = dialect;
  }

  private static final String WRITERS =
      "backend_type IN ('client backend', 'background worker', 'logical replication worker') "
          + "AND datname = current_database() AND xact_start IS NOT NULL AND pid <> pg_backend_pid() AND application_name <> ?";

  @Override
  public Instant clock(Connection c) throws SQLException {
    return instant(c, "SELECT clock_timestamp()");
  }

  @Override
  public Optional<Instant> oldestOpenTransaction(Connection c, String ownApplication)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT min(xact_start) FROM pg_stat_activity WHERE " + WRITERS)) {
      ps.setString(1, ownApplication);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
        return Optional.ofNullable(t).map(OffsetDateTime::toInstant);
      }
    }
  }

  @Override
  public List<String> openTransactions(Connection c, String ownApplication) throws SQLException {
    return strings(
        c,
        "SELECT 'pid ' || pid || ' since ' || xact_start FROM pg_stat_activity WHERE " + WRITERS,
        ownApplication);
  }

  @Override
  public List<String> sessionlessTransactions(Connection c) throws SQLException {
    return strings(
        c,
        "SELECT 'prepared transaction ''' || gid || ''' (prepared ' || prepared || ' by ' || owner || ')' "
            + "FROM pg_prepared_xacts WHERE database = current_database()",
        null);
  }

  @Override
  public List<String> blindSpots(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT pg_is_in_recovery(), current_setting('track_activities')::boolean, "
                    + "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user) OR pg_has_role('pg_read_all_stats', 'USAGE')")) {
      rs.next();
      if (rs.getBoolean(1)) {
        out.add(
            "the source is a standby (pg_is_in_recovery()): it cannot see the primary's open transactions");
      }
      if (!rs.getBoolean(2)) {
        out.add("track_activities is off: pg_stat_activity shows no transaction starts");
      }
      if (!rs.getBoolean(3)) {
        out.add(
            "cannot see other roles' transactions: "
                + userName(c)
                + " is neither a superuser nor a member of pg_read_all_stats "
                + "(GRANT pg_read_all_stats TO "
                + userName(c)
                + ")");
      }
    }
    return out;
  }

  @Override
  public Optional<String> unorderedIntegers(Connection c, TableRef table, Column column)
      throws SQLException {
    String sql =
        "SELECT s.schemaname || '.' || s.sequencename, s.cache_size FROM pg_sequences s "
            + "WHERE (quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename))::regclass IN ("
            + "SELECT pg_get_serial_sequence(?, ?)::regclass UNION SELECT d.refobjid::regclass FROM pg_attrdef ad "
            + "JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum "
            + "JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid AND d.refclassid = 'pg_class'::regclass "
            + "WHERE ad.adrelid = ?::regclass AND a.attname = ?) ORDER BY s.cache_size DESC";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      String qualified = dialect.qualified(table);
      ps.setString(1, qualified);
      ps.setString(2, column.name());
      ps.setString(3, qualified);
      ps.setString(4, column.name());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getLong(2) > 1) {
          return Optional.of(
              "sequence "
                  + rs.getString(1)
                  + " behind "
                  + column.name()
                  + " caches "
                  + rs.getLong(2)
                  + " values per session, so a session can commit a value below one another session committed earlier");
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The zone of a database-wide {@code ALTER DATABASE ... SET timezone}, else of {@code
   * postgresql.conf} where this role may read it, else {@code log_timezone}, which initdb writes
   * beside it with the same value.
   */
  @Override
  public SourceZone defaultZone(Connection c) throws SQLException {
    List<String> database =
        strings(
            c,
            "SELECT substring(cfg FROM position('=' IN cfg) + 1) FROM pg_db_role_setting s, unnest(s.setconfig) cfg "
                + "WHERE s.setrole = 0 AND s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "AND lower(cfg) LIKE 'timezone=%'",
            null);
    if (!database.isEmpty()) {
      return zone(
          database.get(0), "the database's default TimeZone (ALTER DATABASE ... SET timezone)");
    }
    List<String> readable =
        strings(
            c,
            "SELECT has_function_privilege('pg_show_all_file_settings()', 'EXECUTE')::text",
            null);
    if (readable.get(0).equals("true")) {
      List<String> file =
          strings(
              c,
              "SELECT setting FROM pg_file_settings WHERE lower(name) = 'timezone' AND applied AND error IS NULL "
                  + "ORDER BY seqno DESC",
              null);
      if (!file.isEmpty()) {
        return zone(file.get(0), "the server's TimeZone in " + "postgresql.conf");
      }
    }
    return zone(
        strings(c, "SELECT current_setting('log_timezone')", null).get(0),
        "the server's log_timezone (its configured TimeZone is readable only with pg_read_all_settings or as a superuser; "
            + "set delta.timeZone to be explicit)");
  }

  private static SourceZone zone(String text, String basis) {
    try {
      return SourceZone.of(ZoneId.of(text.trim().replace("'", "")), basis);
    } catch (DateTimeException e) {
      throw MetaloadException.badConfig(
          "the source's time zone '"
              + text
              + "' ("
              + basis
              + ") is not one Java knows; set delta.timeZone",
          e);
    }
  }

  private static String userName(Connection c) throws SQLException {
    return c.getMetaData().getUserName();
  }

  private static Instant instant(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getObject(1, OffsetDateTime.class).toInstant();
    }
  }

  private static List<String> strings(Connection c, String sql, String parameter)
      throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (parameter != null) {
        ps.setString(1, parameter);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}

package io.metaload.metadata.schema;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.TimeZone;

/**
 * Reads a date-time without time zone exactly as the source stores it, whatever the JVM's zone.
 *
 * <p>MariaDB Connector/J builds a {@code LocalDateTime} (and the text of {@code getString}) from a
 * {@code java.sql.Timestamp} made in the JVM's default zone and calendar, so a value inside that
 * zone's daylight-saving gap moves by an hour ({@code 2026-03-29 02:30} reads as {@code 03:30}
 * under {@code Europe/Berlin}) and one in the days the Julian-Gregorian switch skipped moves by ten
 * days. Given a proleptic Gregorian calendar in UTC, which has neither, its {@code Timestamp} holds
 * the stored fields as an instant in UTC. The PostgreSQL and H2 drivers build {@code LocalDateTime}
 * directly and are read that way.
 */
final class LocalDateTimeReader {
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");
  private static final ClassValue<Boolean> THROUGH_DEFAULT_ZONE =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> resultSet) {
          return resultSet.getName().startsWith("org.mariadb.jdbc.");
        }
      };

  private static final ThreadLocal<GregorianCalendar> PROLEPTIC_UTC =
      ThreadLocal.withInitial(
          () -> {
            GregorianCalendar c = new GregorianCalendar(UTC);
            c.setGregorianChange(new Date(Long.MIN_VALUE));
            return c;
          });

  private LocalDateTimeReader() {}

  static LocalDateTime read(ResultSet rs, int i) throws SQLException {
    if (!THROUGH_DEFAULT_ZONE.get(rs.getClass())) {
      return rs.getObject(i, LocalDateTime.class);
    }
    Timestamp t = rs.getTimestamp(i, PROLEPTIC_UTC.get());
    return t == null
        ? null
        : LocalDateTime.ofEpochSecond(
            Math.floorDiv(t.getTime(), 1000L), t.getNanos(), ZoneOffset.UTC);
  }
}

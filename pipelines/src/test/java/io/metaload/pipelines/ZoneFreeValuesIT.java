package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TestDatabases;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * Dates and date-times without time zone arrive exactly as the source stores them whatever zone the
 * launcher runs in: values inside a daylight-saving gap or overlap, midnight, the far past and
 * future, microseconds, loaded in each direction between PostgreSQL, MariaDB and H2 with this JVM's
 * default zone (which the JDBC drivers and a launcher started with {@code TZ=} use) set to each of
 * three zones. Values go in as literals and come out as text, so no driver's conversion decides
 * what the test expects.
 */
class ZoneFreeValuesIT {
  private static final List<String> STAMPS =
      List.of(
          "2026-03-29 02:30:00", // Europe/Berlin spring-forward gap
          "2026-03-08 02:30:00.25", // America/New_York spring-forward gap
          "2026-10-25 02:30:00.123456", // Europe/Berlin fall-back overlap
          "2026-11-01 01:30:00.5", // America/New_York fall-back overlap
          "2026-01-01 00:00:00",
          "1000-01-01 00:00:00",
          "1582-10-10 12:00:00", // a day the Julian-Gregorian switch skipped in java.util calendars
          "9999-12-31 23:59:59.999999",
          "2024-02-29 12:34:56.000001");
  private static final List<String> DAYS =
      List.of(
          "2026-03-29",
          "2026-10-25",
          "1000-01-01",
          "1582-10-10",
          "9999-12-31",
          "2026-03-08",
          "2026-11-01",
          "2024-02-29",
          "2026-01-01");
  private static final List<String> ZONES =
      List.of("Europe/Berlin", "America/New_York", "Asia/Kolkata");

  @Test
  void zoneLessValuesMoveUnchangedBetweenEveryPairOfDatabasesInEveryLauncherZone() {
    List<Db> dbs =
        List.of(
            new Db(
                "pg",
                TestDatabases.postgres("metaload_src"),
                "timestamp(6)",
                "CAST(t AS text)",
                "CAST(d AS text)"),
            new Db(
                "maria",
                TestDatabases.mariadb("metaload_src"),
                "datetime(6)",
                "CAST(t AS char)",
                "CAST(d AS char)"),
            new Db(
                "h2",
                TestDatabases.h2("zone_free"),
                "timestamp(6)",
                "CAST(t AS varchar)",
                "CAST(d AS varchar)"));
    TimeZone launcher = TimeZone.getDefault();
    List<String> failures = new ArrayList<>();
    try {
      for (String zone : ZONES) {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        for (Db from : dbs) {
          from.createSource();
          for (Db to : dbs) {
            if (from == to) {
              continue;
            }
            String table = "zf_" + from.name + "_" + to.name;
            TestDatabases.execute(to.spec, "DROP TABLE IF EXISTS " + table);
            LoadFixture fixture =
                new LoadFixture(table + "_" + zone.replace('/', '_'), from.spec, to.spec);
            fixture.define(LoadFixture.load("zf", "zone_free_src", table).batchSize(4).build());
            fixture.run("DirectRunner", "zf");
            List<String> got = to.values(table);
            if (!got.equals(expected())) {
              failures.add(from.name + " -> " + to.name + " under " + zone + ": " + got);
            }
          }
        }
      }
    } finally {
      TimeZone.setDefault(launcher);
    }
    assertThat("expected " + expected(), failures, equalTo(List.of()));
  }

  /**
   * Instants (MariaDB {@code TIMESTAMP}, PostgreSQL {@code timestamptz}) keep their instant in
   * either direction whatever the launcher's zone, including the two passes through an hour a
   * fall-back repeats and the hour a spring-forward skips, compared as seconds since the epoch.
   */
  @Test
  void instantsMoveUnchangedBetweenMariadbAndPostgresInEveryLauncherZone() {
    List<String> utc =
        List.of(
            "2026-03-29 01:30:00.25",
            "2026-10-25 00:30:00",
            "2026-10-25 01:30:00.5",
            "2026-11-01 05:30:00.123456",
            "2026-11-01 06:30:00",
            "1999-12-31 23:59:59.999999",
            "2038-01-19 03:14:07");
    ConnectionSpec maria = TestDatabases.mariadb("metaload_src");
    ConnectionSpec pg = TestDatabases.postgres("metaload_src");
    List<String> inserts =
        new ArrayList<>(
            List.of(
                "SET time_zone = '+00:00'",
                "DROP TABLE IF EXISTS zone_instants_src",
                "CREATE TABLE zone_instants_src (id int NOT NULL PRIMARY KEY, t TIMESTAMP(6) NULL)"));
    List<String> pgInserts =
        new ArrayList<>(
            List.of(
                "DROP TABLE IF EXISTS zone_instants_src",
                "CREATE TABLE zone_instants_src (id int NOT NULL PRIMARY KEY, t timestamptz(6))"));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < utc.size(); i++) {
      inserts.add("INSERT INTO zone_instants_src VALUES (" + i + ", '" + utc.get(i) + "')");
      pgInserts.add("INSERT INTO zone_instants_src VALUES (" + i + ", '" + utc.get(i) + "+00')");
      expected.add(
          LocalDateTime.parse(utc.get(i).replace(' ', 'T')).toInstant(ZoneOffset.UTC).toString());
    }
    TestDatabases.execute(maria, inserts.toArray(String[]::new));
    TestDatabases.execute(pg, pgInserts.toArray(String[]::new));
    TimeZone launcher = TimeZone.getDefault();
    List<String> failures = new ArrayList<>();
    try {
      for (String zone : ZONES) {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        for (boolean fromMaria : List.of(true, false)) {
          ConnectionSpec from = fromMaria ? maria : pg;
          ConnectionSpec to = fromMaria ? pg : maria;
          String table = fromMaria ? "zi_maria_pg" : "zi_pg_maria";
          TestDatabases.execute(to, "DROP TABLE IF EXISTS " + table);
          LoadFixture fixture = new LoadFixture(table + "_" + zone.replace('/', '_'), from, to);
          fixture.define(LoadFixture.load("zi", "zone_instants_src", table).batchSize(3).build());
          fixture.run("DirectRunner", "zi");
          List<String> got = new ArrayList<>();
          String epoch =
              fromMaria
                  ? "CAST(EXTRACT(EPOCH FROM t) AS numeric(20,6))"
                  : "UNIX_TIMESTAMP(CONVERT_TZ(t, '+00:00', @@session.time_zone))";
          for (String e :
              TestDatabases.strings(to, "SELECT " + epoch + " FROM " + table + " ORDER BY id")) {
            if (e == null) {
              got.add("NULL");
              continue;
            }
            BigDecimal seconds = new BigDecimal(e.trim());
            got.add(
                Instant.ofEpochSecond(
                        seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue())
                    .toString());
          }
          if (!got.equals(expected)) {
            failures.add(
                (fromMaria ? "maria -> pg" : "pg -> maria") + " under " + zone + ": " + got);
          }
        }
      }
    } finally {
      TimeZone.setDefault(launcher);
    }
    assertThat("expected " + expected, failures, equalTo(List.of()));
  }

  private static List<String> expected() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < STAMPS.size(); i++) {
      out.add(
          LocalDateTime.parse(STAMPS.get(i).replace(' ', 'T'))
              + " "
              + LocalDate.parse(DAYS.get(i)));
    }
    return out;
  }

  private static final class Db {
    final String name;
    final ConnectionSpec spec;
    final String timestampType;
    final String timestampText;
    final String dateText;

    Db(
        String name,
        ConnectionSpec spec,
        String timestampType,
        String timestampText,
        String dateText) {
      this.name = name;
      this.spec = spec;
      this.timestampType = timestampType;
      this.timestampText = timestampText;
      this.dateText = dateText;
    }

    void createSource() {
      TestDatabases.execute(
          spec,
          "DROP TABLE IF EXISTS zone_free_src",
          "CREATE TABLE zone_free_src (id int NOT NULL PRIMARY KEY, t "
              + timestampType
              + " NOT NULL, d date NOT NULL)");
      for (int i = 0; i < STAMPS.size(); i++) {
        TestDatabases.execute(
            spec,
            "INSERT INTO zone_free_src VALUES ("
                + i
                + ", "
                + "TIMESTAMP '"
                + STAMPS.get(i)
                + "'"
                + ", DATE '"
                + DAYS.get(i)
                + "')");
      }
    }

    /** Each row's timestamp and date, from the database's own text, in key order. */
    List<String> values(String table) {
      List<String> out = new ArrayList<>();
      for (String row :
          TestDatabases.strings(
              spec,
              "SELECT CONCAT("
                  + timestampText
                  + ", '|', "
                  + dateText
                  + ") FROM "
                  + table
                  + " ORDER BY id")) {
        String[] parts = row.split("\\|");
        out.add(
            LocalDateTime.parse(parts[0].trim().replace(' ', 'T'))
                + " "
                + LocalDate.parse(parts[1].trim()));
      }
      return out;
    }
  }
}

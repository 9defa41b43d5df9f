package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * One PostgreSQL table with a column of every common PostgreSQL type (integers of every width,
 * constrained and free {@code numeric} (without NaN, which only the pass-through moves), {@code
 * real} and {@code double precision} with NaN and infinities, {@code boolean}, {@code char}/{@code
 * varchar}/{@code text} with 4-byte characters and escapes, {@code json}, {@code jsonb}, {@code
 * bytea}, {@code uuid}, {@code date}, {@code time}, {@code timestamp}, {@code timestamptz}), with
 * NULLs and edge values, loaded into PostgreSQL on all three read paths (binary pass-through,
 * binary COPY decoded into an existing target, JDBC) and into MariaDB: row for row equal. A {@code
 * numeric} NaN, which has no decimal form, stops a load that decodes rows, naming its column.
 */
class PostgresAllTypesIT {
  private static final String DDL =
      "(id bigint PRIMARY KEY, kind varchar(1) NOT NULL, i2 smallint, i4 integer, n numeric(20,5), "
          + "nf numeric, f4 real, f8 double precision, b boolean, c char(3), vc varchar(50), tx text, js json, jb jsonb, bin bytea, u uuid, "
          + "d date, t time(6), ts timestamp(6), tstz timestamptz(6))";
  private static final String PG_COLUMNS =
      "id, kind, i2, i4, n, nf, f4::text, f8::text, b, c, vc, tx, js::text, jb::text, "
          + "encode(bin, 'hex'), u::text, d, t::text, ts, tstz AT TIME ZONE 'UTC'";

  @Test
  void everyCommonPostgresTypeLoadsIntoPostgresOnEveryReadPath() {
    ConnectionSpec source = source("pg_all");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    UuidAndJsonColumnsIT.dropWithLeftovers(target, "pg_all_pass", "pg_all_decoded", "pg_all_jdbc");
    TestDatabases.execute(
        target, "CREATE TABLE pg_all_decoded " + DDL.replace("vc varchar(50)", "vc varchar(45)"));
    new LoadFixture("pg_all_pg", source, target)
        .loadOnEveryReadPath(source, "pg_all", target, "pg_all", PG_COLUMNS);
  }

  @Test
  void everyCommonPostgresTypeLoadsIntoMariadb() {
    ConnectionSpec source = source("pg_all_m");
    TestDatabases.execute(
        source,
        "DELETE FROM pg_all_m WHERE f4 IN ('NaN', 'Infinity', '-Infinity') OR f8 IN ('NaN', 'Infinity', '-Infinity')");
    ConnectionSpec maria = TestDatabases.mariadb("metaload_dst");
    UuidAndJsonColumnsIT.dropWithLeftovers(maria, "pg_all_maria");
    LoadFixture fixture = new LoadFixture("pg_all_maria", source, maria);
    fixture.define(LoadFixture.load("all", "pg_all_m", "pg_all_maria").batchSize(100).build());

    fixture.run("DirectRunner", "all");

    TableComparison.assertSameRows(
        source,
        "pg_all_m",
        maria,
        "pg_all_maria",
        "id, kind, i2, i4, n, nf, f4, f8, b::int, rtrim(c), vc, tx, js::text, jb::text, upper(encode(bin, 'hex')), u::text, d, "
            + "to_char(date '2000-01-01' + t, 'HH24:MI:SS.US'), ts, tstz AT TIME ZONE 'UTC'",
        "id, kind, i2, i4, n, nf, f4, f8, b + 0, c, vc, tx, js, jb, HEX(bin), u, d, DATE_FORMAT(t, '%H:%i:%s.%f'), ts, tstz",
        "id");
  }

  @Test
  void aNumericNanStopsALoadIntoMariaDbThatTakesNoRejectsNamingItsColumn() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS pg_nan",
        "CREATE TABLE pg_nan (id bigint PRIMARY KEY, nf numeric)",
        "INSERT INTO pg_nan VALUES (1, 1.5), (2, 'NaN'), (3, 2.5)");
    ConnectionSpec maria = TestDatabases.mariadb("metaload_dst");
    UuidAndJsonColumnsIT.dropWithLeftovers(maria, "pg_nan_maria");
    LoadFixture fixture = new LoadFixture("pg_nan_maria", source, maria);
    fixture.define(LoadFixture.load("nan", "pg_nan", "pg_nan_maria").build());

    MetaloadException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            MetaloadException.class, () -> fixture.run("DirectRunner", "nan"));

    org.hamcrest.MatcherAssert.assertThat(
        e.getMessage(),
        org.hamcrest.Matchers.containsString(
            "column nf: the value NaN has no form in mariadb's decimal"));
    org.hamcrest.MatcherAssert.assertThat(
        "no retry can fix it", e.exitCode(), org.hamcrest.Matchers.equalTo(ExitCode.DATA_REFUSED));
    org.hamcrest.MatcherAssert.assertThat(
        "nothing is published",
        TestDatabases.count(maria, "pg_nan_maria"),
        org.hamcrest.Matchers.equalTo(0L));
  }

  private static ConnectionSpec source(String table) {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS " + table,
        "CREATE TABLE " + table + " " + DDL,
        "INSERT INTO "
            + table
            + " SELECT g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END, (g % 30000)::smallint, g * 1000, g / 7.0, "
            + "g * 1234.5678, g / 4.0, g / 8.0, g % 3 = 0, 'c' || (g % 10), 'väl 😀 ' || g, repeat('text\t\\ ', (g % 5)::int), "
            + "json_build_object('n', g), jsonb_build_object('k', jsonb_build_array(g, 'x')), int4send(g::int), md5(g::text)::uuid, "
            + "date '2020-01-01' + g::int, time '00:00' + g * interval '37.5 second', "
            + "timestamp '2020-01-01 10:00:00.123456' + g * interval '1 minute', timestamptz '2021-06-01 00:00:00+00' + g * interval '1 second' "
            + "FROM generate_series(1, 300) g",
        "INSERT INTO "
            + table
            + " VALUES (1001, 'a', -32768, -2147483648, -999999999999999.99999, -0.000000000001, -1.5, -2.25, false, "
            + "'', '', '', '[]', '{}', '', '00000000-0000-0000-0000-000000000000', '1000-01-01', '00:00:00', '1000-01-01 00:00:00', "
            + "'1970-01-01 00:00:00+00')",
        "INSERT INTO "
            + table
            + " VALUES (1002, 'b', 32767, 2147483647, 999999999999999.99999, 12345678901234567890.123456789, 3.5, "
            + "1.0E300, true, 'zzz', E'x''y\\\\z\\nline', E'tab\\there', '{\"k\": [1, 2]}', '{\"a\": {\"b\": null}}', '\\xdeadbeef', "
            + "'ffffffff-ffff-ffff-ffff-ffffffffffff', '9999-12-31', '23:59:59.999999', '9999-12-31 23:59:59.999999', "
            + "'2038-01-19 03:14:07.999999+00')",
        "INSERT INTO "
            + table
            + " VALUES (1003, 'a', NULL, NULL, NULL, NULL, 'NaN', 'Infinity', NULL, NULL, NULL, NULL, NULL, NULL, "
            + "NULL, NULL, NULL, NULL, NULL, NULL)",
        "INSERT INTO " + table + " (id, kind, f4, f8) VALUES (1004, 'b', '-Infinity', '-Infinity')",
        "INSERT INTO " + table + " (id, kind) VALUES (1005, 'a')");
    return source;
  }
}

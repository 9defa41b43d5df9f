package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One MariaDB table with a column of every common MariaDB type (integers of every width, unsigned
 * ones up to {@code bigint unsigned} 18446744073709551615, {@code tinyint(1)}, decimals, floats,
 * char/varchar/text variants with 4-byte characters, {@code enum}, {@code set}, {@code json}, dates
 * and times, {@code year}, binary strings and blobs, {@code bit(1)} and {@code bit(8)}), with NULLs
 * and edge values, loaded into PostgreSQL and into MariaDB: row for row equal, compared through
 * select lists that spell each type the same way on both sides (a {@code char(3)} without
 * PostgreSQL's blank padding, bytes as hex, times as text). A {@code time} beyond one day stops the
 * load, naming the column and the value, where the driver would wrap it.
 */
class MariadbAllTypesIT {
  private static final String SOURCE_COLUMNS =
      "id, ti, si, mi, i, bi, iu, bu, flag, d, f, db, c, vc, tx, mt, e, st, js, dt, dtm, ts, "
          + "DATE_FORMAT(tm, '%H:%i:%s.%f'), HEX(bn), HEX(vb), HEX(bl), b1 + 0, b8 + 0, yr + 0, tu, su, mu, tt, lt, HEX(tb), HEX(mb), HEX(lb)";

  @Test
  void everyCommonMariadbTypeLoadsIntoPostgresAndMariadb() {
    ConnectionSpec source = TestDatabases.mariadb("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS types_all",
        "CREATE TABLE types_all (id bigint PRIMARY KEY, ti tinyint, si smallint, mi mediumint, i int, bi bigint, iu int unsigned, "
            + "bu bigint unsigned, flag tinyint(1), d decimal(20,5), f float, db double, c char(3), vc varchar(50), tx text, "
            + "mt mediumtext, e enum('small','large'), st set('a','b','c'), js json, dt date, dtm datetime(6), ts timestamp(6) NULL, "
            + "tm time(6), bn binary(4), vb varbinary(10), bl blob, b1 bit(1), b8 bit(8), yr year, tu tinyint unsigned, "
            + "su smallint unsigned, mu mediumint unsigned, tt tinytext, lt longtext, tb tinyblob, mb mediumblob, lb longblob) "
            + "CHARACTER SET utf8mb4",
        "INSERT INTO types_all SELECT seq, seq % 128, seq * 100, seq * 1000, seq * 100000, seq * 10000000000, seq * 3, seq * 7, seq % 2, "
            + "seq / 7, seq / 4, seq / 8, CONCAT('c', seq % 10), CONCAT('väl 😀 ', seq), REPEAT('text ', seq % 20), CONCAT('mt', seq), "
            + "ELT(seq % 2 + 1, 'small', 'large'), ELT(seq % 3 + 1, 'a', 'a,b', 'b,c'), CONCAT('{\"n\": ', seq, '}'), "
            + "DATE('2020-01-01') + INTERVAL seq DAY, TIMESTAMP('2020-01-01 10:00:00.123456') + INTERVAL seq MINUTE, "
            + "TIMESTAMP('2021-06-01 00:00:00') + INTERVAL seq SECOND, SEC_TO_TIME(seq * 37.5), UNHEX(LPAD(HEX(seq), 8, '0')), "
            + "UNHEX(HEX(seq * 31)), UNHEX(REPEAT('AB', seq % 9)), seq % 2, seq % 256, 1901 + seq % 255, seq % 256, seq * 200, "
            + "seq * 50000, CONCAT('tt 😀', seq), REPEAT(CONCAT('long ', seq, ' '), seq % 50), UNHEX(HEX(seq)), UNHEX(REPEAT('CD', seq % 7)), "
            + "UNHEX(REPEAT('EF01', seq % 11)) FROM seq_1_to_300",
        "INSERT INTO types_all VALUES (1001, -128, -32768, -8388608, -2147483648, -9223372036854775808, 0, 0, 0, -999999999999999.99999, "
            + "-1.5, -2.25, '', '', '', '', 'small', '', '[]', '1000-01-01', '1000-01-01 00:00:00', '1970-01-02 00:00:00', '00:00:00', "
            + "UNHEX('00000000'), UNHEX(''), UNHEX(''), 0, 0, 0, 0, 0, 0, '', '', UNHEX(''), UNHEX(''), UNHEX(''))",
        "INSERT INTO types_all VALUES (1002, 127, 32767, 8388607, 2147483647, 9223372036854775807, 4294967295, 18446744073709551615, 1, "
            + "999999999999999.99999, 3.5, 1.0E300, 'zzz', 'x''y\\\\z', 'line\\nbreak', 'ü', 'large', 'a,b,c', '{\"k\": [1, 2]}', "
            + "'9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '23:59:59.999999', UNHEX('FFFFFFFF'), "
            + "UNHEX('FF00FF'), UNHEX('DEADBEEF'), 1, 255, 2155, 255, 65535, 16777215, 'x''y', 'ü\\n', UNHEX('00'), UNHEX('FF'), UNHEX('00FF'))",
        "INSERT INTO types_all (id) VALUES (1003)");

    ConnectionSpec pg = TestDatabases.postgres("metaload_dst");
    UuidAndJsonColumnsIT.dropWithLeftovers(pg, "types_all_pg");
    LoadFixture toPg = new LoadFixture("types_all_pg", source, pg);
    toPg.define(LoadFixture.load("all", "types_all", "types_all_pg").batchSize(100).build());
    toPg.run("DirectRunner", "all");
    TableComparison.assertSameRows(
        source,
        "types_all",
        pg,
        "types_all_pg",
        SOURCE_COLUMNS,
        "id, ti, si, mi, i, bi, iu, bu, flag, d, f, db, rtrim(c), vc, tx, mt, e, st, js, dt, dtm, ts, to_char(date '2000-01-01' + tm, "
            + "'HH24:MI:SS.US'), upper(encode(bn, 'hex')), upper(encode(vb, 'hex')), upper(encode(bl, 'hex')), b1::int, b8, yr, tu, su, mu, tt, lt, "
            + "upper(encode(tb, 'hex')), upper(encode(mb, 'hex')), upper(encode(lb, 'hex'))",
        "id");

    ConnectionSpec maria = TestDatabases.mariadb("metaload_dst");
    UuidAndJsonColumnsIT.dropWithLeftovers(maria, "types_all_m");
    LoadFixture toMaria = new LoadFixture("types_all_maria", source, maria);
    toMaria.define(LoadFixture.load("all", "types_all", "types_all_m").batchSize(100).build());
    toMaria.run("DirectRunner", "all");
    TableComparison.assertSameRows(
        source, "types_all", maria, "types_all_m", SOURCE_COLUMNS, SOURCE_COLUMNS, "id");
    org.hamcrest.MatcherAssert.assertThat(
        "a new MariaDB target keeps year",
        TestDatabases.strings(
            maria,
            "SELECT DATA_TYPE FROM "
                + "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'types_all_m' AND COLUMN_NAME = 'yr'"),
        org.hamcrest.Matchers.equalTo(List.of("year")));
  }

  @Test
  void aMariadbTimeBeyondOneDayStopsTheLoadNamingItsColumnInsteadOfWrappingAround() {
    ConnectionSpec source = TestDatabases.mariadb("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS times_long",
        "CREATE TABLE times_long (id bigint PRIMARY KEY, tm time(6))",
        "INSERT INTO times_long VALUES (1, '10:00:00'), (2, '30:00:00.5'), (3, NULL)");
    ConnectionSpec pg = TestDatabases.postgres("metaload_dst");
    UuidAndJsonColumnsIT.dropWithLeftovers(pg, "times_long_pg");
    LoadFixture fixture = new LoadFixture("times_long_pg", source, pg);
    fixture.define(LoadFixture.load("long", "times_long", "times_long_pg").batchSize(100).build());

    MetaloadException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            MetaloadException.class, () -> fixture.run("DirectRunner", "long"));

    org.hamcrest.MatcherAssert.assertThat(
        e.getMessage(),
        org.hamcrest.Matchers.containsString(
            "column tm: time 30:00:00.500000 lies outside one day, which a time-of-day column cannot hold"));
    org.hamcrest.MatcherAssert.assertThat(
        "nothing is published",
        TestDatabases.count(pg, "times_long_pg"),
        org.hamcrest.Matchers.equalTo(0L));
  }
}

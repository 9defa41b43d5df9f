package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import io.metaload.transforms.read.SourceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's other common types ({@code time}, {@code timetz}, {@code interval}, network
 * addresses, {@code xml}, ranges, arrays, {@code tsvector}, geometry, {@code bit(n)} and {@code
 * varbit}), with NULLs and edge values (IPv6, negative and huge intervals, empty and unbounded
 * ranges, empty and two-dimensional arrays, an empty {@code varbit}): exact into PostgreSQL on the
 * binary pass-through and decoded (the target gets the same types), and into MariaDB as their text
 * (PostgreSQL's output form: an {@code inet} host address has no {@code /32}). An enum column moves
 * as its labels: into a new target as text, into an existing enum column as that enum, on every
 * read path.
 */
class PostgresTextFormTypesIT {
  private static final String PG_TEXT =
      "id, to_char(date '2000-01-01' + t, 'HH24:MI:SS.US'), tz::text, iv::text, ip::text, net::text, "
          + "mac::text, x::text, r::text, ints::text, words::text, ts::text, pt::text, bits::text, vbits::text";

  @Test
  void postgresTypesLoadIntoPostgresOnBothReadPathsWithTheSameTypes() {
    ConnectionSpec source = source("types_pg");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    UuidAndJsonColumnsIT.dropWithLeftovers(target, "types_pass", "types_decoded");
    LoadFixture fixture = new LoadFixture("types_pg_pg", source, target);
    fixture.define(LoadFixture.load("pass", "types_pg", "types_pass").batchSize(200).build());
    fixture.define(
        LoadFixture.load("decoded", "types_pg", "types_decoded")
            .batchSize(200)
            .partitionStrategy(PartitionStrategy.LIST)
            .partitionColumn("kind")
            .partitionValues(List.of("a", "b"))
            .build());

    fixture.run("DirectRunner", "pass");
    fixture.run("DirectRunner", "decoded");

    TableComparison.assertSameRows(source, "types_pg", target, "types_pass", PG_TEXT, "id");
    TableComparison.assertSameRows(source, "types_pg", target, "types_decoded", PG_TEXT, "id");
    assertThat(
        TestDatabases.strings(
            target,
            "SELECT udt_name FROM information_schema.columns WHERE table_name = 'types_pass' "
                + "ORDER BY ordinal_position"),
        equalTo(
            TestDatabases.strings(
                source,
                "SELECT udt_name FROM information_schema.columns "
                    + "WHERE table_name = 'types_pg' ORDER BY ordinal_position")));
  }

  @Test
  void postgresTypesLoadIntoMariadbAsTheirText() {
    ConnectionSpec source = source("types_pg_m");
    ConnectionSpec target = TestDatabases.mariadb("metaload_dst");
    UuidAndJsonColumnsIT.dropWithLeftovers(target, "types_maria");
    LoadFixture fixture = new LoadFixture("types_pg_maria", source, target);
    fixture.define(LoadFixture.load("types", "types_pg_m", "types_maria").batchSize(200).build());

    fixture.run("DirectRunner", "types");

    TableComparison.assertSameRows(
        source,
        "types_pg_m",
        target,
        "types_maria",
        PG_TEXT.replace("ip::text", "CASE WHEN ip IS NOT NULL THEN format('%s', ip) END"),
        "id, DATE_FORMAT(t, '%H:%i:%s.%f'), tz, iv, ip, net, mac, x, r, ints, words, ts, pt, bits, vbits",
        "id");
  }

  @Test
  void anEnumColumnLoadsAsItsLabelsIntoNewTargetsAndIntoAnExistingEnumColumnOnEveryReadPath() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    ConnectionSpec maria = TestDatabases.mariadb("metaload_dst");
    String labels = "ENUM ('sad', 'ok', 'Happy 😀', 'it''s, \"quoted\"', '')";
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS enum_pg",
        "DROP TYPE IF EXISTS ml_mood",
        "CREATE TYPE ml_mood AS " + labels,
        "CREATE TABLE enum_pg (id bigint PRIMARY KEY, kind varchar(5) NOT NULL, m ml_mood)",
        "INSERT INTO enum_pg SELECT g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END, CASE WHEN g % 7 = 0 THEN NULL "
            + "ELSE (enum_range(NULL::ml_mood))[g % 5 + 1] END FROM generate_series(1, 400) g");
    UuidAndJsonColumnsIT.dropWithLeftovers(target, "enum_pass", "enum_decoded", "enum_jdbc");
    TestDatabases.execute(
        target,
        "DROP TYPE IF EXISTS ml_mood",
        "CREATE TYPE ml_mood AS " + labels,
        "CREATE TABLE enum_decoded (id bigint PRIMARY KEY, kind varchar(1) NOT NULL, m ml_mood)");
    UuidAndJsonColumnsIT.dropWithLeftovers(maria, "enum_maria");

    new LoadFixture("enum_pg_pg", source, target)
        .loadOnEveryReadPath(source, "enum_pg", target, "enum", "id, kind, m::text");
    LoadFixture toMaria = new LoadFixture("enum_pg_maria", source, maria);
    toMaria.define(LoadFixture.load("enum", "enum_pg", "enum_maria").batchSize(100).build());
    toMaria.run("DirectRunner", "enum");

    TableComparison.assertSameRows(
        source, "enum_pg", maria, "enum_maria", "id, kind, m::text", "id, kind, m", "id");
    assertThat(
        TestDatabases.strings(
            target,
            "SELECT udt_name FROM information_schema.columns WHERE table_name = 'enum_decoded' "
                + "AND column_name = 'm'"),
        equalTo(List.of("ml_mood")));
  }

  @Test
  void aTargetEnumLackingSomeOfTheSourcesLabelsDecodesRowsAndRejectsThoseRowsOneByOne() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS enum_few",
        "DROP DOMAIN IF EXISTS ml_level_d",
        "DROP TYPE IF EXISTS ml_level",
        "CREATE TYPE ml_level AS ENUM ('low', 'mid', 'high')",
        "CREATE DOMAIN ml_level_d AS ml_level",
        "CREATE TABLE enum_few (id bigint PRIMARY KEY, lv ml_level, lvd ml_level_d)",
        "INSERT INTO enum_few SELECT g, (enum_range(NULL::ml_level))[g % 3 + 1], (enum_range(NULL::ml_level))[(g + 1) % 3 + 1] "
            + "FROM generate_series(1, 300) g");
    UuidAndJsonColumnsIT.dropWithLeftovers(target, "enum_few_new", "enum_few_t");
    TestDatabases.execute(
        target,
        "DROP TYPE IF EXISTS ml_level",
        "CREATE TYPE ml_level AS ENUM ('low', 'mid')",
        "CREATE TABLE enum_few_t (id bigint PRIMARY KEY, lv ml_level, lvd text)");
    LoadFixture fixture = new LoadFixture("enum_few", source, target);
    fixture.define(
        LoadFixture.load("few_new", "enum_few", "enum_few_new").batchSize(100).build(),
        LoadFixture.load("few", "enum_few", "enum_few_t").batchSize(100).maxRejects(1000L).build());

    long intoNew = fixture.run("DirectRunner", "few_new").get(0).runId();
    long intoFewer = fixture.run("DirectRunner", "few").get(0).runId();

    LoadFixture.ReadPathTaken passed = fixture.readPath(intoNew);
    assertThat(
        "an enum and a domain over one pass through into text: " + passed.describe(),
        passed.path(),
        equalTo(SourceSpec.ReadPath.COPY_PASS_THROUGH));
    TableComparison.assertSameRows(
        source, "enum_few", target, "enum_few_new", "id, lv::text, lvd::text", "id");
    LoadFixture.ReadPathTaken decoded = fixture.readPath(intoFewer);
    assertThat(decoded.describe(), decoded.path(), equalTo(SourceSpec.ReadPath.COPY_DECODED));
    assertThat(
        decoded.describe(),
        org.hamcrest.Matchers.containsString("column lv is an enum in the target"));
    TableComparison.assertSameRows(
        source,
        "(SELECT * FROM enum_few WHERE lv <> 'high') s",
        target,
        "enum_few_t",
        "id, lv::text, lvd::text",
        "id");
  }

  @Test
  void arraysOfAnEnumADomainAndACidrLoadAsTheirTextIntoNewAndExistingTargets() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    ConnectionSpec maria = TestDatabases.mariadb("metaload_dst");
    String types = "CREATE TYPE ml_shade AS ENUM ('dark', 'light', 'it''s \"x\"', '')";
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS arr_pg",
        "DROP TYPE IF EXISTS ml_shade",
        "DROP DOMAIN IF EXISTS ml_pos",
        types,
        "CREATE DOMAIN ml_pos AS integer CHECK (VALUE > 0)",
        "CREATE TABLE arr_pg (id bigint PRIMARY KEY, kind varchar(1) NOT NULL, shades ml_shade[], pos ml_pos[], nets cidr[])",
        "INSERT INTO arr_pg SELECT g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END, "
            + "CASE WHEN g % 9 = 0 THEN NULL WHEN g % 9 = 1 THEN '{}' ELSE ARRAY[(enum_range(NULL::ml_shade))[g % 4 + 1], NULL, 'dark'] END, "
            + "ARRAY[g, g + 1]::ml_pos[], ARRAY[('10.' || (g % 256) || '.0.0/16')::cidr, '2001:db8::/32'] FROM generate_series(1, 300) g");
    UuidAndJsonColumnsIT.dropWithLeftovers(target, "arr_new", "arr_existing");
    TestDatabases.execute(
        target,
        "DROP TYPE IF EXISTS ml_shade",
        "DROP DOMAIN IF EXISTS ml_pos",
        types,
        "CREATE DOMAIN ml_pos AS integer CHECK (VALUE > 0)",
        "CREATE TABLE arr_existing (id bigint PRIMARY KEY, kind varchar(1) NOT NULL, shades ml_shade[], pos ml_pos[], nets cidr[])");
    UuidAndJsonColumnsIT.dropWithLeftovers(maria, "arr_maria");
    LoadFixture toPg = new LoadFixture("arr_pg", source, target);
    toPg.define(
        LoadFixture.load("arr_new", "arr_pg", "arr_new").batchSize(100).build(),
        LoadFixture.load("arr_existing", "arr_pg", "arr_existing").batchSize(100).build());
    LoadFixture toMaria = new LoadFixture("arr_maria", source, maria);
    toMaria.define(LoadFixture.load("arr", "arr_pg", "arr_maria").batchSize(100).build());

    long intoNew = toPg.run("DirectRunner", "arr_new").get(0).runId();
    toPg.run("DirectRunner", "arr_existing");
    toMaria.run("DirectRunner", "arr");

    String columns = "id, kind, shades::text, pos::text, nets::text";
    TableComparison.assertSameRows(source, "arr_pg", target, "arr_new", columns, "id");
    TableComparison.assertSameRows(source, "arr_pg", target, "arr_existing", columns, "id");
    TableComparison.assertSameRows(
        source, "arr_pg", maria, "arr_maria", columns, "id, kind, shades, pos, nets", "id");
    assertThat(
        TestDatabases.strings(
            target,
            "SELECT udt_name FROM information_schema.columns WHERE table_name = 'arr_new' "
                + "ORDER BY ordinal_position"),
        equalTo(List.of("int8", "varchar", "_text", "_text", "_cidr")));
    assertThat(
        toPg.readPath(intoNew).describe(),
        org.hamcrest.Matchers.containsString(
            "column shades is an array of ml_shade, whose binary form names its element type"));
  }

  private static ConnectionSpec source(String table) {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS " + table,
        "CREATE TABLE "
            + table
            + " (id BIGINT PRIMARY KEY, kind VARCHAR(1) NOT NULL, t TIME, tz TIMETZ, iv INTERVAL, ip INET, net CIDR, "
            + "mac MACADDR, x XML, r INT4RANGE, ints INTEGER[], words TEXT[], ts TSVECTOR, pt POINT, bits BIT(8), vbits VARBIT(12))",
        "INSERT INTO "
            + table
            + " SELECT g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END, "
            + "time '00:00:00' + g * interval '17.123456 seconds', timetz '10:15:30+02' + g * interval '1 minute', "
            + "g * interval '1 day 2 hours 3.5 seconds', ('10.0.' || (g % 256) || '.' || (g % 200))::inet, "
            + "('10.' || (g % 256) || '.0.0/16')::cidr, ('08:00:2b:01:02:' || lpad(to_hex(g % 256), 2, '0'))::macaddr, "
            + "xmlelement(name item, xmlattributes(g AS n), 'text & <' || g || '>'), int4range(g, g + 10), ARRAY[g, NULL, -g], "
            + "ARRAY['tab\tx', 'quote\"y', 'back\\\\slash', NULL, 'comma,z'], to_tsvector('simple', 'row number ' || g), point(g, -g), "
            + "(g % 256)::bit(8), substr((g * 7)::bit(12)::text, 1 + g % 5)::varbit "
            + "FROM generate_series(1, 600) g",
        "UPDATE "
            + table
            + " SET t = NULL, tz = NULL, iv = NULL, ip = NULL, net = NULL, mac = NULL, x = NULL, r = NULL, ints = NULL, "
            + "words = NULL, ts = NULL, pt = NULL, bits = NULL, vbits = NULL WHERE id % 13 = 0",
        "INSERT INTO "
            + table
            + " VALUES (1001, 'a', '23:59:59.999999', '00:00:00-14', '-1 year -2 days +03:04:05.678901', "
            + "'2001:db8::1/64', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', '<a>ü 😀 &amp;</a>', 'empty', '{}', '{\"\", NULL, \" \"}', '', "
            + "'(-1.5,1e+300)', '00000000', ''), "
            + "(1002, 'b', '00:00:00', '24:00:00+14', '178000000 years', '255.255.255.255', '0.0.0.0/0', '00:00:00:00:00:00', "
            + "'', '(,)', '{{1,2},{3,NULL}}', '{{a,b},{c,d}}', 'a:1A b:2B', '(0,-0)', '11111111', '101010101010')");
    return source;
  }
}

package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL columns whose types are domains (over {@code integer}, {@code varchar(50)} and {@code
 * numeric(10,2)}, and a domain over that domain, with CHECK constraints) load as the types under
 * the domains: exact into PostgreSQL on the binary pass-through, decoded from binary COPY into an
 * existing target that uses the same domains, and through JDBC; into MariaDB as the base types. A
 * new target gets the base types with the domains' lengths and precisions.
 */
class DomainColumnsIT {
  private static final String COLUMNS = "id, kind, qty, mail, price, note, small";

  @Test
  void domainColumnsLoadIntoPostgresOnEveryReadPath() {
    ConnectionSpec source = source("dom_pg");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    UuidAndJsonColumnsIT.dropWithLeftovers(target, "dom_pass", "dom_decoded", "dom_jdbc");
    domains(target);
    TestDatabases.execute(
        target,
        "CREATE TABLE dom_decoded (id bigint PRIMARY KEY, kind varchar(1) NOT NULL, qty dom_posint, "
            + "mail dom_email, price dom_amount, note varchar(12), small dom_small_amount)");
    new LoadFixture("dom_pg_pg", source, target)
        .loadOnEveryReadPath(source, "dom_pg", target, "dom", COLUMNS);
    assertThat(
        TestDatabases.strings(
            target,
            "SELECT concat(udt_name, ' ', character_maximum_length, ' ', numeric_precision, ' ', "
                + "numeric_scale) FROM information_schema.columns WHERE table_name = 'dom_pass' ORDER BY ordinal_position"),
        equalTo(
            List.of(
                "int8  64 0",
                "varchar 1  ",
                "int4  32 0",
                "varchar 50  ",
                "numeric  10 2",
                "varchar 20  ",
                "numeric  10 2")));
  }

  @Test
  void domainColumnsLoadIntoMariadbAsTheirBaseTypes() {
    ConnectionSpec source = source("dom_pg_m");
    ConnectionSpec target = TestDatabases.mariadb("metaload_dst");
    UuidAndJsonColumnsIT.dropWithLeftovers(target, "dom_maria");
    LoadFixture fixture = new LoadFixture("dom_pg_maria", source, target);
    fixture.define(LoadFixture.load("dom", "dom_pg_m", "dom_maria").batchSize(150).build());

    fixture.run("DirectRunner", "dom");

    TableComparison.assertSameRows(source, "dom_pg_m", target, "dom_maria", COLUMNS, "id");
    assertThat(
        TestDatabases.strings(
            target,
            "SELECT column_type FROM information_schema.columns WHERE table_schema = DATABASE() "
                + "AND table_name = 'dom_maria' ORDER BY ordinal_position"),
        equalTo(
            List.of(
                "bigint(20)",
                "varchar(1)",
                "int(11)",
                "varchar(50)",
                "decimal(10,2)",
                "varchar(20)",
                "decimal(10,2)")));
  }

  private static void domains(ConnectionSpec db) {
    TestDatabases.execute(
        db,
        "DROP DOMAIN IF EXISTS dom_posint CASCADE",
        "DROP DOMAIN IF EXISTS dom_email CASCADE",
        "DROP DOMAIN IF EXISTS dom_amount CASCADE",
        "CREATE DOMAIN dom_posint AS integer CHECK (VALUE > 0)",
        "CREATE DOMAIN dom_email AS varchar(50) CHECK (VALUE LIKE '%@%')",
        "CREATE DOMAIN dom_amount AS numeric(10,2) CHECK (VALUE >= 0)",
        "CREATE DOMAIN dom_small_amount AS dom_amount CHECK (VALUE < 1000)");
  }

  private static ConnectionSpec source(String table) {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(source, "DROP TABLE IF EXISTS " + table);
    domains(source);
    TestDatabases.execute(
        source,
        "CREATE TABLE "
            + table
            + " (id bigint PRIMARY KEY, kind varchar(1) NOT NULL, qty dom_posint, mail dom_email, "
            + "price dom_amount, note varchar(20), small dom_small_amount)",
        "INSERT INTO "
            + table
            + " SELECT g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END, g, 'user' || g || '@example.com', "
            + "g * 1.25, 'n' || g, g * 0.75 FROM generate_series(1, 500) g",
        "UPDATE "
            + table
            + " SET qty = NULL, mail = NULL, price = NULL, note = NULL, small = NULL WHERE id % 11 = 0");
    return source;
  }
}

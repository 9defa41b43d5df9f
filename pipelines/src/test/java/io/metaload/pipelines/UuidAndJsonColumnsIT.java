package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tables with {@code uuid}, {@code json} and {@code jsonb} columns (NULLs, escapes, non-ASCII) load
 * exactly: PostgreSQL to PostgreSQL on the binary pass-through and decoded, PostgreSQL to MariaDB,
 * and MariaDB ({@code uuid}, {@code json}) to PostgreSQL.
 */
class UuidAndJsonColumnsIT {
  private static final String PG_TEXT = "id, u::text, j::text, jb::text";
  private static final String MARIA_TEXT = "id, CAST(u AS CHAR), j, jb";

  @Test
  void postgresUuidAndJsonLoadIntoPostgresOnBothReadPaths() {
    ConnectionSpec source = pgSource("docs_pg");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    dropWithLeftovers(target, "docs_pass", "docs_decoded");
    LoadFixture fixture = new LoadFixture("docs_pg_pg", source, target);
    fixture.define(LoadFixture.load("pass", "docs_pg", "docs_pass").batchSize(300).build());
    fixture.define(
        LoadFixture.load("decoded", "docs_pg", "docs_decoded")
            .batchSize(300)
            .partitionStrategy(PartitionStrategy.LIST)
            .partitionColumn("kind")
            .partitionValues(List.of("a", "b"))
            .build());

    fixture.run("DirectRunner", "pass");
    fixture.run("DirectRunner", "decoded");

    TableComparison.assertSameRows(
        source, "docs_pg", target, "docs_pass", PG_TEXT + ", kind", "id");
    TableComparison.assertSameRows(
        source, "docs_pg", target, "docs_decoded", PG_TEXT + ", kind", "id");
    assertThat(
        TestDatabases.strings(
            target,
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'docs_pass' "
                + "AND column_name IN ('u', 'j', 'jb') ORDER BY column_name"),
        equalTo(List.of("json", "jsonb", "uuid")));
  }

  @Test
  void postgresUuidAndJsonLoadIntoMariadb() {
    ConnectionSpec source = pgSource("docs_pg_m");
    ConnectionSpec target = TestDatabases.mariadb("metaload_dst");
    dropWithLeftovers(target, "docs_maria");
    LoadFixture fixture = new LoadFixture("docs_pg_maria", source, target);
    fixture.define(LoadFixture.load("docs", "docs_pg_m", "docs_maria").batchSize(300).build());

    fixture.run("DirectRunner", "docs");

    TableComparison.assertSameRows(
        source, "docs_pg_m", target, "docs_maria", PG_TEXT, MARIA_TEXT, "id");
  }

  @Test
  void mariadbUuidAndJsonLoadIntoPostgres() {
    ConnectionSpec source = TestDatabases.mariadb("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS docs_m",
        "CREATE TABLE docs_m (id BIGINT PRIMARY KEY, u UUID, j JSON, jb JSON)",
        "INSERT INTO docs_m SELECT seq, UUID(), JSON_OBJECT('n', seq, 'note', CONCAT('t\\tab ', seq, ' \\u00e9\\u00f8 \\\\')), "
            + "IF(seq % 7 = 0, NULL, JSON_ARRAY(seq, 'x')) FROM seq_1_to_1000",
        "UPDATE docs_m SET u = NULL WHERE id % 11 = 0");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    dropWithLeftovers(target, "docs_from_maria");
    LoadFixture fixture = new LoadFixture("docs_maria_pg", source, target);
    fixture.define(LoadFixture.load("docs", "docs_m", "docs_from_maria").batchSize(300).build());

    fixture.run("DirectRunner", "docs");

    TableComparison.assertSameRows(
        source, "docs_m", target, "docs_from_maria", MARIA_TEXT, "id, u::text, j, jb", "id");
  }

  /**
   * Drops the tables and what a failed earlier run of this test left beside them (its fixture's run
   * ids restart at 1).
   */
  static void dropWithLeftovers(ConnectionSpec target, String... tables) {
    for (String t : tables) {
      TestDatabases.execute(
          target,
          "DROP TABLE IF EXISTS " + t,
          "DROP TABLE IF EXISTS " + t + "_ml_stg_1",
          "DROP TABLE IF EXISTS " + t + "_ml_ledger_1",
          "DROP TABLE IF EXISTS " + t + "_ml_old_1");
    }
  }

  private static ConnectionSpec pgSource(String table) {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS " + table,
        "CREATE TABLE "
            + table
            + " (id BIGINT PRIMARY KEY, kind VARCHAR(1) NOT NULL, u UUID, j JSON, jb JSONB)",
        "INSERT INTO "
            + table
            + " SELECT x, CASE WHEN x % 2 = 0 THEN 'a' ELSE 'b' END, "
            + "CASE WHEN x % 11 = 0 THEN NULL ELSE md5(x::text)::uuid END, "
            + "json_build_object('n', x, 'note', E'tab\\there, line\\nbreak, back\\\\slash ' || chr(233) || chr(128512)), "
            + "CASE WHEN x % 7 = 0 THEN NULL ELSE jsonb_build_array(x, 'x', json_build_object('k', x)) END "
            + "FROM generate_series(1, 1000) x");
    return source;
  }
}

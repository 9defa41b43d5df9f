package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL target keeps its index and primary-key constraint names across full loads, which
 * publish a staging table in its place: whether its primary key was built after the load or its
 * indexes came with the staging table, and for a target metaload created itself, also under a name
 * that needs quoting.
 */
class TargetIndexNamesIT {
  private static final ConnectionSpec SOURCE = TestDatabases.postgres("metaload_src");
  private static final ConnectionSpec TARGET = TestDatabases.postgres("metaload_dst");

  @Test
  void aTargetWhosePrimaryKeyIsBuiltAfterTheLoadKeepsItsName() {
    source("ixn_src_a");
    TestDatabases.execute(
        TARGET,
        "DROP TABLE IF EXISTS ixn_a",
        "CREATE TABLE ixn_a (id bigint, code varchar(20) NOT NULL, n integer, "
            + "CONSTRAINT ixn_a_key PRIMARY KEY (id))");

    loadTwice("ixn_a_load", "ixn_src_a", "ixn_a");

    assertThat(indexes("ixn_a"), equalTo(List.of("ixn_a_key")));
    assertThat(primaryKeyConstraint("ixn_a"), equalTo("ixn_a_key"));
  }

  @Test
  void aTargetWithSecondaryIndexesKeepsEveryName() {
    source("ixn_src_b");
    TestDatabases.execute(
        TARGET,
        "DROP TABLE IF EXISTS ixn_b",
        "CREATE TABLE ixn_b (id bigint PRIMARY KEY, code varchar(20) NOT NULL, " + "n integer)",
        "CREATE UNIQUE INDEX ixn_b_code ON ixn_b (code)",
        "CREATE INDEX ixn_b_n ON ixn_b (n) WHERE n > 10",
        "CREATE INDEX ixn_b_n_all ON ixn_b (n)");

    loadTwice("ixn_b_load", "ixn_src_b", "ixn_b");

    assertThat(
        indexes("ixn_b"), equalTo(List.of("ixn_b_code", "ixn_b_n", "ixn_b_n_all", "ixn_b_pkey")));
    assertThat(primaryKeyConstraint("ixn_b"), equalTo("ixn_b_pkey"));
  }

  @Test
  void aTargetMetaloadCreatesUnderAQuotedNameKeepsItsPrimaryKeyName() {
    source("ixn_src_c");
    TestDatabases.execute(TARGET, "DROP TABLE IF EXISTS \"Ixn C-'q\"");

    loadTwice("ixn_c_load", "ixn_src_c", "Ixn C-'q");

    assertThat(indexes("Ixn C-'q"), equalTo(List.of("Ixn C-'q_pkey")));
  }

  private static void source(String table) {
    TestDatabases.execute(
        SOURCE,
        "DROP TABLE IF EXISTS " + table,
        "CREATE TABLE " + table + " (id bigint PRIMARY KEY, code varchar(20) NOT NULL, n integer)",
        "INSERT INTO " + table + " SELECT g, 'c' || g, g % 50 FROM generate_series(1, 600) g");
  }

  private static void loadTwice(String load, String source, String target) {
    LoadFixture fixture = new LoadFixture(load, SOURCE, TARGET);
    fixture.define(LoadFixture.load(load, source, target).batchSize(200).build());
    fixture.run("DirectRunner", load);
    TestDatabases.execute(SOURCE, "UPDATE " + source + " SET n = n + 1 WHERE id % 3 = 0");
    fixture.run("DirectRunner", load);
    TableComparison.assertSameRows(
        SOURCE, source, TARGET, "\"" + target + "\"", "id, code, n", "id");
  }

  private static List<String> indexes(String table) {
    return TestDatabases.strings(
        TARGET,
        "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = '"
            + table.replace("'", "''")
            + "' ORDER BY indexname");
  }

  private static String primaryKeyConstraint(String table) {
    return TestDatabases.strings(
            TARGET,
            "SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid = '\""
                + table.replace("'", "''")
                + "\"'::regclass")
        .get(0);
  }
}

package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.plan.split.HeapOrder;
import io.metaload.metadata.store.RunQueries;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * String and UUID split keys load exactly under the key column's own collation: a PostgreSQL ICU
 * collation, MariaDB's case- and accent-insensitive PAD SPACE collations, keys that differ only in
 * case, accents or trailing spaces, empty strings, quotes, backslashes and 4-byte characters; a
 * non-unique string key with one value on many rows is cut inside that value by the primary key; a
 * composite key ({@code [tenant_id, id]}) whose first column holds one value for 90% of the rows is
 * cut as evenly as any other. Batches are small so every table spans many key sub-ranges, read on
 * the Direct runner, which checkpoints the reader often. PostgreSQL sources are read in key order
 * here ({@code -Dmetaload.heapOrder=false}); {@link HeapOrderIT} reads them in heap order.
 */
class StringSplitKeysIT {
  @BeforeAll
  static void readInKeyOrder() {
    System.setProperty(HeapOrder.SWITCH, "false");
  }

  @AfterAll
  static void restoreHeapOrder() {
    System.clearProperty(HeapOrder.SWITCH);
  }

  private static final int BATCH = 20;

  /** Keys that collations order differently from Java and from each other; distinct as bytes. */
  private static final List<String> TRICKY =
      List.of(
          "",
          " ",
          "a",
          "A",
          "a ",
          "á",
          "Á",
          "ä",
          "b",
          "B",
          "z",
          "Z",
          "ß",
          "ss",
          "Ω",
          "日本",
          "😀",
          "😀a",
          "x'y",
          "back\\slash",
          "quo\"te",
          "tab\there",
          "% _",
          "0",
          "00",
          "1",
          "10",
          "9",
          "-",
          "~");

  @Test
  void varcharKeyUnderAnIcuCollationLoadsPostgresToPostgresAndMariadb() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS sk_pg_icu",
        "CREATE TABLE sk_pg_icu (k varchar(40) COLLATE \"en-US-x-icu\" PRIMARY KEY, n integer NOT NULL, note text)");
    List<String> inserts = new ArrayList<>();
    for (int i = 0; i < TRICKY.size(); i++) {
      inserts.add(
          "INSERT INTO sk_pg_icu VALUES (" + pgString(TRICKY.get(i)) + ", " + i + ", 'tricky')");
    }
    inserts.add(
        "INSERT INTO sk_pg_icu SELECT (array['Key','key','kéy','KEY','k-e-y'])[g % 5 + 1] || '-' || g, 1000 + g, 'row ' || g "
            + "FROM generate_series(1, 700) g");
    TestDatabases.execute(source, inserts.toArray(new String[0]));

    ConnectionSpec pgTarget = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(pgTarget, "DROP TABLE IF EXISTS sk_pg_icu");
    RunReport pass = load("sk_pg_pg", source, pgTarget, "sk_pg_icu", "k");
    TableComparison.assertSameRows(source, "sk_pg_icu", pgTarget, "sk_pg_icu", "k, n, note", "n");
    assertThat(pass.batches(), greaterThanOrEqualTo(730L / BATCH));

    ConnectionSpec mariaTarget = TestDatabases.mariadb("metaload_dst");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS sk_pg_ci",
        "CREATE TABLE sk_pg_ci (k varchar(40) COLLATE \"en-US-x-icu\" PRIMARY KEY, n integer NOT NULL, note text)",
        "INSERT INTO sk_pg_ci SELECT (array['Key','kéy','zeta','Ärger','😀'])[g % 5 + 1] || '-' || g, g, 'row ' || g "
            + "FROM generate_series(1, 500) g");
    TestDatabases.execute(mariaTarget, "DROP TABLE IF EXISTS sk_pg_ci");
    load("sk_pg_maria", source, mariaTarget, "sk_pg_ci", "k");
    TableComparison.assertSameRows(source, "sk_pg_ci", mariaTarget, "sk_pg_ci", "k, n, note", "n");
  }

  @Test
  void nonUniqueVarcharKeyUnderACaseInsensitivePadSpaceCollationIsCutByThePrimaryKey() {
    ConnectionSpec source = TestDatabases.mariadb("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS sk_maria_ci",
        "CREATE TABLE sk_maria_ci (id bigint PRIMARY KEY, code varchar(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL, "
            + "note varchar(100), KEY sk_maria_ci_code (code))");
    List<String> inserts = new ArrayList<>();
    for (int i = 0; i < TRICKY.size(); i++) {
      inserts.add(
          "INSERT INTO sk_maria_ci VALUES ("
              + i
              + ", "
              + mariaString(TRICKY.get(i))
              + ", 'tricky')");
    }
    inserts.add(
        "INSERT INTO sk_maria_ci SELECT 100 + seq, 'HOT', CONCAT('hot ', seq) FROM seq_1_to_300");
    inserts.add(
        "INSERT INTO sk_maria_ci SELECT 1000 + seq, ELT(seq % 4 + 1, 'hot', 'Hot ', 'cold', 'Cóld'), 'mixed' FROM seq_1_to_200");
    TestDatabases.execute(source, inserts.toArray(new String[0]));
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(target, "DROP TABLE IF EXISTS sk_maria_ci");

    RunReport report = load("sk_maria_ci", source, target, "sk_maria_ci", "code");

    TableComparison.assertSameRows(
        source, "sk_maria_ci", target, "sk_maria_ci", "id, code, note", "id");
    assertThat(
        "the 450 rows equal to 'hot' are cut into batches of " + BATCH,
        report.batches(),
        greaterThanOrEqualTo(530L / BATCH));
  }

  @Test
  void uuidKeysLoadFromPostgresUuidAndMariadbChar36() {
    ConnectionSpec pg = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        pg,
        "DROP TABLE IF EXISTS sk_uuid",
        "CREATE TABLE sk_uuid (id uuid PRIMARY KEY, n integer NOT NULL)",
        "INSERT INTO sk_uuid SELECT md5(g::text)::uuid, g FROM generate_series(1, 600) g",
        "INSERT INTO sk_uuid VALUES ('00000000-0000-0000-0000-000000000000', 0), ('ffffffff-ffff-ffff-ffff-ffffffffffff', 601)");
    ConnectionSpec pgTarget = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(pgTarget, "DROP TABLE IF EXISTS sk_uuid");
    load("sk_uuid_pg", pg, pgTarget, "sk_uuid", "id");
    TableComparison.assertSameRows(pg, "sk_uuid", pgTarget, "sk_uuid", "id, n", "n");

    ConnectionSpec maria = TestDatabases.mariadb("metaload_src");
    TestDatabases.execute(
        maria,
        "DROP TABLE IF EXISTS sk_uuid_char",
        "CREATE TABLE sk_uuid_char (id char(36) CHARACTER SET ascii PRIMARY KEY, n integer NOT NULL)",
        "INSERT INTO sk_uuid_char SELECT UUID(), seq FROM seq_1_to_600");
    TestDatabases.execute(pgTarget, "DROP TABLE IF EXISTS sk_uuid_char");
    RunReport report = load("sk_uuid_maria", maria, pgTarget, "sk_uuid_char", "id");
    TableComparison.assertSameRows(maria, "sk_uuid_char", pgTarget, "sk_uuid_char", "id, n", "n");
    assertThat(report.rows(), equalTo(600L));
  }

  @Test
  void compositeKeyWhoseFirstColumnIsConstantForMostRowsIsCutEvenly() {
    ConnectionSpec pg = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        pg,
        "DROP TABLE IF EXISTS sk_tenants",
        "CREATE TABLE sk_tenants (tenant_id integer NOT NULL, id bigint NOT NULL, note text, PRIMARY KEY (tenant_id, id))",
        "INSERT INTO sk_tenants SELECT CASE WHEN g <= 900 THEN 7 ELSE g % 13 END, g, 'row ' || g FROM generate_series(1, 1000) g");
    ConnectionSpec pgTarget = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(pgTarget, "DROP TABLE IF EXISTS sk_tenants");
    RunReport pass = load("sk_tenants_pg", pg, pgTarget, "sk_tenants", List.of("tenant_id", "id"));
    TableComparison.assertSameRows(
        pg, "sk_tenants", pgTarget, "sk_tenants", "tenant_id, id, note", "id");
    assertThat(
        "900 rows of tenant 7 are cut into batches of " + BATCH,
        pass.batches(),
        equalTo(1000L / BATCH));

    ConnectionSpec maria = TestDatabases.mariadb("metaload_src");
    TestDatabases.execute(
        maria,
        "DROP TABLE IF EXISTS sk_tenants",
        "CREATE TABLE sk_tenants (tenant_id integer NOT NULL, code varchar(10) NOT NULL, note text, PRIMARY KEY (tenant_id, code))",
        "INSERT INTO sk_tenants SELECT CASE WHEN seq <= 900 THEN 7 ELSE seq % 13 END, CONCAT(ELT(seq % 3 + 1, 'a', 'B', 'é'), seq), "
            + "CONCAT('row ', seq) FROM seq_1_to_1000");
    TestDatabases.execute(pgTarget, "DROP TABLE IF EXISTS sk_tenants_m");
    load(
        "sk_tenants_maria",
        maria,
        pgTarget,
        "sk_tenants",
        "sk_tenants_m",
        List.of("tenant_id", "code"));
    TableComparison.assertSameRows(
        maria, "sk_tenants", pgTarget, "sk_tenants_m", "tenant_id, code, note", "note");
  }

  private static RunReport load(
      String name, ConnectionSpec source, ConnectionSpec target, String table, String splitKey) {
    return load(name, source, target, table, List.of(splitKey));
  }

  private static RunReport load(
      String name,
      ConnectionSpec source,
      ConnectionSpec target,
      String table,
      List<String> splitKey) {
    return load(name, source, target, table, table, splitKey);
  }

  private static RunReport load(
      String name,
      ConnectionSpec source,
      ConnectionSpec target,
      String table,
      String targetTable,
      List<String> splitKey) {
    LoadFixture fixture = new LoadFixture(name, source, target);
    fixture.define(
        LoadFixture.load(name, table, targetTable)
            .splitKey(splitKey.get(0))
            .additionalSplitKeys(splitKey.subList(1, splitKey.size()))
            .batchSize(BATCH)
            .build());
    RunReport report = fixture.run("DirectRunner", name).get(0);
    RunQueries.RunSummary summary = fixture.runSummary(report.runId());
    assertThat(summary.batchRows, equalTo(report.rows()));
    return report;
  }

  private static String pgString(String s) {
    return "E'" + s.replace("\\", "\\\\").replace("'", "''").replace("\t", "\\t") + "'";
  }

  private static String mariaString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "''").replace("\t", "\\t") + "'";
  }
}

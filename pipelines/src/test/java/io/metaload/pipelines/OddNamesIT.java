package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tables and columns named {@code order-items}, {@code Mixed Case} and {@code we"ird} (columns with
 * spaces, quotes and non-ASCII letters) load exactly, PostgreSQL to PostgreSQL on the binary
 * pass-through, MariaDB to PostgreSQL and PostgreSQL to MariaDB: every statement quotes them
 * through the dialect.
 */
class OddNamesIT {
  private static final List<String> TABLES = List.of("order-items", "Mixed Case", "we\"ird");

  @Test
  void oddlyNamedTablesAndColumnsLoadFromPostgresIntoPostgresAndMariadb() {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    for (String table : TABLES) {
      String t = pg(table);
      TestDatabases.execute(
          source,
          "DROP TABLE IF EXISTS " + t,
          "CREATE TABLE "
              + t
              + " (\"Line No\" BIGINT PRIMARY KEY, "
              + "\"qty\"\"\" INTEGER, \"ünit price\" NUMERIC(10,2), \"note-text\" TEXT)",
          "INSERT INTO "
              + t
              + " SELECT g, g % 7, g / 3.0, 'row ' || g FROM generate_series(1, 3000) g");
    }
    load(source, TestDatabases.postgres("metaload_dst"), "odd_pg_pg", false);
    load(source, TestDatabases.mariadb("metaload_dst"), "odd_pg_maria", true);
  }

  @Test
  void oddlyNamedTablesAndColumnsLoadFromMariadbIntoPostgres() {
    ConnectionSpec source = TestDatabases.mariadb("metaload_src");
    for (String table : TABLES) {
      String t = maria(table);
      TestDatabases.execute(
          source,
          "DROP TABLE IF EXISTS " + t,
          "CREATE TABLE "
              + t
              + " (`Line No` BIGINT PRIMARY KEY, "
              + "`qty\"` INTEGER, `ünit price` DECIMAL(10,2), `note-text` TEXT)",
          "INSERT INTO "
              + t
              + " SELECT seq, seq % 7, seq / 3.0, CONCAT('row ', seq) FROM seq_1_to_3000");
    }
    load(source, TestDatabases.postgres("metaload_dst"), "odd_maria_pg", false);
  }

  private static void load(
      ConnectionSpec source, ConnectionSpec target, String fixtureName, boolean mariaTarget) {
    boolean mariaSource = source.url().startsWith("jdbc:mariadb:");
    LoadFixture fixture = new LoadFixture(fixtureName, source, target);
    for (int i = 0; i < TABLES.size(); i++) {
      String table = TABLES.get(i);
      String quoted = mariaTarget ? maria(table) : pg(table);
      TestDatabases.execute(target, "DROP TABLE IF EXISTS " + quoted);
      for (String leftover : List.of("_ml_stg_", "_ml_ledger_", "_ml_old_")) {
        String name = table + leftover + (i + 1);
        TestDatabases.execute(
            target, "DROP TABLE IF EXISTS " + (mariaTarget ? maria(name) : pg(name)));
      }
      fixture.define(
          LoadFixture.load("odd" + i, table, table).splitKey("Line No").batchSize(400).build());
    }
    for (int i = 0; i < TABLES.size(); i++) {
      fixture.run("DirectRunner", "odd" + i);
      String table = TABLES.get(i);
      String sourceColumns =
          mariaSource
              ? "`Line No`, `qty\"`, `ünit price`, `note-text`"
              : "\"Line No\", \"qty\"\"\", \"ünit price\", \"note-text\"";
      String targetColumns =
          mariaTarget
              ? "`Line No`, `qty\"`, `ünit price`, `note-text`"
              : "\"Line No\", \"qty\"\"\", \"ünit price\", \"note-text\"";
      TableComparison.assertSameRows(
          source,
          mariaSource ? maria(table) : pg(table),
          target,
          mariaTarget ? maria(table) : pg(table),
          sourceColumns,
          targetColumns,
          "1");
    }
  }

  private static String pg(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String maria(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}

package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full reload of a PostgreSQL target that people use: a view and a materialized view on it,
 * grants to two roles (one on a column only), comments, a row-level security policy, a trigger,
 * replica identity and a foreign key from another table. After the reload, and after one killed
 * inside its publication and resumed, each still belongs to the target and reads the new rows, the
 * trigger did not fire for the load, and nothing is left behind. A partitioned target stays
 * partitioned with its partitions.
 */
class SwapDependentsIT {
  private static final String COLUMNS = "id, day, amount, note";

  @TempDir static Path dir;

  @Test
  void aReloadKeepsViewsGrantsCommentsPoliciesTriggersAndForeignKeysOnTheTarget() throws Exception {
    ConnectionSpec src = TestDatabases.postgres("metaload_src");
    ConnectionSpec dst = TestDatabases.postgres("metaload_dst");
    createSource(src, "dep_orders", 300);
    dropWithLeftovers(dst, "dep_orders");
    DeltaLoad load = new DeltaLoad(dir, "dep", "dep_orders", src, dst, "full", "swap");
    createUsedTarget(dst, "dep_orders");

    load.runOk();
    assertKeptAndExact(src, dst, load);

    TestDatabases.execute(
        src,
        "UPDATE dep_orders SET amount = amount + 1000 WHERE id % 3 = 0",
        "DELETE FROM dep_orders WHERE id > 290",
        "INSERT INTO dep_orders SELECT x, date '2026-01-01' + x % 20, x * 10, 'second' FROM generate_series(301, 350) x");
    Path pauses = Files.createDirectories(dir.resolve("dep-pauses"));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve("dep-kill.log"),
            MetaloadProcess.pauseAt("during-swap", pauses, 0),
            load.args())) {
      process.awaitPause(pauses, "during-swap");
      process.kill();
    }
    assertThat(
        "a kill inside the publication left the previous rows",
        TestDatabases.count(dst, "dep_orders"),
        equalTo(300L));
    load.runOk("--resume");
    assertKeptAndExact(src, dst, load);
  }

  @Test
  void aForeignKeyThatIsNotDeferrableIsRefusedBeforePublishingAndTheResumeSucceedsOnceItIs()
      throws Exception {
    ConnectionSpec src = TestDatabases.postgres("metaload_src");
    ConnectionSpec dst = TestDatabases.postgres("metaload_dst");
    createSource(src, "fk_orders", 200);
    dropWithLeftovers(dst, "fk_orders");
    DeltaLoad load = new DeltaLoad(dir, "fk", "fk_orders", src, dst, "full", "swap");
    TestDatabases.execute(
        dst,
        "DROP TABLE IF EXISTS fk_order_lines",
        "CREATE TABLE fk_orders (id bigint PRIMARY KEY, day date NOT NULL, amount numeric(12,2), note text)",
        "INSERT INTO fk_orders SELECT x, date '2026-01-01', 0, 'old' FROM generate_series(1, 10) x",
        "CREATE TABLE fk_order_lines (line bigint PRIMARY KEY, order_id bigint NOT NULL CONSTRAINT fk_lines_order REFERENCES fk_orders (id))",
        "INSERT INTO fk_order_lines VALUES (1, 5)");
    CliRun refused = CliRun.metaload(load.args());
    assertThat(refused.err, refused.exitCode, equalTo(2));
    assertThat(
        refused.err,
        containsString(
            "foreign key public.fk_lines_order of table fk_order_lines, which is not DEFERRABLE"));
    assertThat("the target is untouched", TestDatabases.count(dst, "fk_orders"), equalTo(10L));
    TestDatabases.execute(
        dst, "ALTER TABLE fk_order_lines ALTER CONSTRAINT fk_lines_order DEFERRABLE");
    load.runOk("--resume");
    TableComparison.assertSameRows(src, "fk_orders", dst, "fk_orders", COLUMNS, "id");
    assertThat(
        TestDatabases.strings(
            dst, "SELECT count(*) FROM fk_order_lines l JOIN fk_orders o ON o.id = l.order_id"),
        equalTo(List.of("1")));
  }

  @Test
  void aPartitionedTargetKeepsItsPartitionsAndTheirIndexes() throws Exception {
    ConnectionSpec src = TestDatabases.postgres("metaload_src");
    ConnectionSpec dst = TestDatabases.postgres("metaload_dst");
    createSource(src, "part_orders", 400);
    dropWithLeftovers(dst, "part_orders");
    DeltaLoad load = new DeltaLoad(dir, "part", "part_orders", src, dst, "full", "swap");
    TestDatabases.execute(
        dst,
        "CREATE TABLE part_orders (id bigint, day date NOT NULL, amount numeric(12,2), note text, PRIMARY KEY (id, day)) "
            + "PARTITION BY RANGE (day)",
        "CREATE TABLE part_orders_early PARTITION OF part_orders FOR VALUES FROM ('2026-01-01') TO ('2026-01-11')",
        "CREATE TABLE part_orders_late PARTITION OF part_orders FOR VALUES FROM ('2026-01-11') TO ('2026-02-01')",
        "CREATE INDEX part_orders_note ON part_orders (note)");
    for (int run = 1; run <= 2; run++) {
      load.runOk();
      TableComparison.assertSameRows(src, "part_orders", dst, "part_orders", COLUMNS, "id");
      assertThat(
          TestDatabases.strings(
              dst, "SELECT relkind FROM pg_class WHERE oid = 'part_orders'::regclass"),
          equalTo(List.of("p")));
      assertThat(
          TestDatabases.strings(
              dst,
              "SELECT c.relname || ':' || (SELECT count(*) FROM pg_index WHERE indrelid = c.oid) "
                  + "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'part_orders'::regclass ORDER BY 1"),
          equalTo(List.of("part_orders_early:2", "part_orders_late:2")));
      assertThat(
          "rows went to their partitions",
          TestDatabases.strings(
              dst, "SELECT count(*) FROM part_orders_early WHERE day >= '2026-01-11'"),
          equalTo(List.of("0")));
      assertNothingLeftBehind(dst, "part_orders");
    }
  }

  @Test
  void aListPartitionedTargetKeepsItsPartitionsIncludingTheDefault() throws Exception {
    ConnectionSpec src = TestDatabases.postgres("metaload_src");
    ConnectionSpec dst = TestDatabases.postgres("metaload_dst");
    createSource(src, "lpart_orders", 300);
    dropWithLeftovers(dst, "lpart_orders");
    DeltaLoad load = new DeltaLoad(dir, "lpart", "lpart_orders", src, dst, "full", "swap");
    TestDatabases.execute(
        dst,
        "CREATE TABLE lpart_orders (id bigint, day date NOT NULL, amount numeric(12,2), note text, PRIMARY KEY (id, day)) "
            + "PARTITION BY LIST (day)",
        "CREATE TABLE lpart_orders_new_year PARTITION OF lpart_orders FOR VALUES IN ('2026-01-01', '2026-01-02')",
        "CREATE TABLE lpart_orders_rest PARTITION OF lpart_orders DEFAULT");
    load.runOk();
    TableComparison.assertSameRows(src, "lpart_orders", dst, "lpart_orders", COLUMNS, "id");
    assertThat(
        TestDatabases.strings(
            dst,
            "SELECT c.relname || ':' || pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
                + "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'lpart_orders'::regclass ORDER BY 1"),
        equalTo(
            List.of(
                "lpart_orders_new_year:FOR VALUES IN ('2026-01-01', '2026-01-02')",
                "lpart_orders_rest:DEFAULT")));
    assertThat(
        TestDatabases.strings(dst, "SELECT count(*) FROM lpart_orders_new_year"),
        equalTo(
            TestDatabases.strings(
                src,
                "SELECT count(*) FROM lpart_orders WHERE day IN ('2026-01-01', '2026-01-02')")));
  }

  /**
   * Merges and window replacements go into the partitioned table itself, which stays partitioned.
   */
  @Test
  void deltaWindowsMergeAndReplaceIntoARangePartitionedTarget() throws Exception {
    ConnectionSpec src = TestDatabases.postgres("metaload_src");
    ConnectionSpec dst = TestDatabases.postgres("metaload_dst");
    for (String mode : List.of("merge", "replace-window")) {
      String table = mode.equals("merge") ? "dpart_merge" : "dpart_replace";
      DeltaSource source = new DeltaSource(src, table).create(600, List.of());
      dropWithLeftovers(dst, table);
      DeltaLoad load =
          new DeltaLoad(
              dir,
              table,
              table,
              src,
              dst,
              mode.equals("merge")
                  ? "{ mode: watermark, column: updated_at, lookback: 1h }"
                  : "{ mode: window-replace, column: event_at, lookback: 3d }",
              mode);
      TestDatabases.execute(
          dst,
          "CREATE TABLE "
              + table
              + " (id bigint NOT NULL, amount numeric(12,2) NOT NULL, status varchar(16) NOT NULL, "
              + "updated_at timestamp(6) NOT NULL, event_at timestamp(6) NOT NULL, PRIMARY KEY (id, event_at)) PARTITION BY RANGE (event_at)",
          "CREATE TABLE "
              + table
              + "_old PARTITION OF "
              + table
              + " FOR VALUES FROM (MINVALUE) TO (localtimestamp - interval '5 days')",
          "CREATE TABLE "
              + table
              + "_new PARTITION OF "
              + table
              + " FOR VALUES FROM (localtimestamp - interval '5 days') TO (MAXVALUE)");
      load.runOk();
      for (int day = 1; day <= 2; day++) {
        source.insert(DeltaSource.range(10_000 + day * 100, 20), 0, true);
        List<Long> recent = source.idsWithEventBetween(40, 2, 20);
        source.update(recent.subList(0, 10), "day" + day, true);
        if (mode.equals("replace-window")) {
          source.delete(recent.subList(10, 20), true);
        }
        load.runOk();
        TableComparison.assertSameRows(src, source.expected, dst, table, DeltaSource.COLUMNS, "id");
        assertThat(
            mode,
            TestDatabases.strings(
                dst,
                "SELECT relkind::text || ':' || (SELECT count(*) FROM pg_inherits WHERE inhparent = c.oid) "
                    + "FROM pg_class c WHERE oid = '"
                    + table
                    + "'::regclass"),
            equalTo(List.of("p:2")));
      }
    }
  }

  @Test
  void aMariadbRangePartitionedTargetKeepsItsPartitions() throws Exception {
    ConnectionSpec src = TestDatabases.postgres("metaload_src");
    ConnectionSpec maria = TestDatabases.mariadb("metaload_dst");
    createSource(src, "mpart_orders", 300);
    DeltaLoad load = new DeltaLoad(dir, "mpart", "mpart_orders", src, maria, "full", "swap");
    TestDatabases.execute(
        maria,
        "CREATE TABLE mpart_orders (id bigint, day date NOT NULL, amount decimal(12,2), note text, PRIMARY KEY (id, day)) "
            + "PARTITION BY RANGE (TO_DAYS(day)) (PARTITION p_early VALUES LESS THAN (TO_DAYS('2026-01-11')), PARTITION p_late VALUES LESS THAN MAXVALUE)");
    for (int run = 1; run <= 2; run++) {
      load.runOk();
      TableComparison.assertSameRows(src, "mpart_orders", maria, "mpart_orders", COLUMNS, "id");
      assertThat(
          TestDatabases.strings(
              maria,
              "SELECT CONCAT(PARTITION_NAME, ':', TABLE_ROWS >= 0) FROM information_schema.PARTITIONS "
                  + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'mpart_orders' ORDER BY PARTITION_ORDINAL_POSITION"),
          equalTo(List.of("p_early:1", "p_late:1")));
    }
  }

  /**
   * MariaDB: views and grants name the table, so after {@code RENAME TABLE} they read the new one;
   * triggers stay with the old one (and would fire for every row published in place), so a target
   * with them is refused before anything is read.
   */
  @Test
  void aMariadbTargetKeepsItsViewAndGrantAndATargetWithATriggerIsRefused() throws Exception {
    ConnectionSpec src = TestDatabases.postgres("metaload_src");
    ConnectionSpec maria = TestDatabases.mariadb("metaload_dst");
    createSource(src, "mdep_orders", 200);
    TestDatabases.execute(
        maria, "DROP VIEW IF EXISTS mdep_orders_big", "DROP TABLE IF EXISTS mdep_orders_audit");
    dropMariadbLeftovers(maria, "mdep_orders");
    DeltaLoad load = new DeltaLoad(dir, "mdep", "mdep_orders", src, maria, "full", "swap");
    TestDatabases.execute(
        maria,
        "CREATE TABLE mdep_orders (id bigint PRIMARY KEY, day date NOT NULL, amount decimal(12,2), note text) "
            + "COMMENT 'orders, reloaded nightly'",
        "CREATE VIEW mdep_orders_big AS SELECT id, amount FROM mdep_orders WHERE amount >= 1000",
        "CREATE USER IF NOT EXISTS 'ml_report_m'@'%'",
        "GRANT SELECT ON mdep_orders TO 'ml_report_m'@'%'");
    for (int run = 1; run <= 2; run++) {
      TestDatabases.execute(
          src, "UPDATE mdep_orders SET amount = amount + 500 WHERE id % 2 = " + (run % 2));
      load.runOk();
      TableComparison.assertSameRows(src, "mdep_orders", maria, "mdep_orders", COLUMNS, "id");
      assertThat(
          "the view reads the new rows",
          TestDatabases.strings(maria, "SELECT count(*) FROM mdep_orders_big"),
          equalTo(
              TestDatabases.strings(src, "SELECT count(*) FROM mdep_orders WHERE amount >= 1000")));
      assertThat(
          String.join(" ", TestDatabases.strings(maria, "SHOW GRANTS FOR 'ml_report_m'@'%'")),
          containsString("GRANT SELECT ON `metaload_dst`.`mdep_orders`"));
      assertThat(
          TestDatabases.strings(
              maria,
              "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                  + "AND TABLE_NAME = 'mdep_orders'"),
          equalTo(List.of("orders, reloaded nightly")));
      assertThat(
          TestDatabases.strings(
              maria,
              "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                  + "AND TABLE_NAME LIKE 'mdep\\_orders\\_ml\\_%'"),
          equalTo(List.of()));
    }
    TestDatabases.execute(
        maria,
        "CREATE TABLE mdep_orders_audit (n int)",
        "CREATE TRIGGER mdep_orders_audited AFTER INSERT ON mdep_orders FOR EACH ROW INSERT INTO mdep_orders_audit VALUES (1)");
    TestDatabases.execute(src, "UPDATE mdep_orders SET amount = 0");
    CliRun refused = CliRun.metaload(load.args());
    assertThat(refused.err, refused.exitCode, equalTo(2));
    assertThat(
        refused.err,
        containsString("would leave its trigger mdep_orders_audited on the old table"));
    assertThat(
        "the target is untouched",
        TestDatabases.strings(maria, "SELECT count(*) FROM mdep_orders WHERE amount = 0"),
        equalTo(List.of("0")));
    TestDatabases.execute(maria, "DROP TRIGGER mdep_orders_audited");
  }

  /**
   * MariaDB: a target that other tables refer to (one with {@code ON DELETE CASCADE}) and that
   * refers to another is published in place: the referring rows stay, nothing cascades, both
   * foreign keys stay on the target, also after a run killed inside its publication and resumed;
   * new rows that drop a referred key, or refer to a day its parent table lacks, are refused (exit
   * 4) with the target untouched, and once the source is mended, that run abandoned, the next run
   * publishes.
   */
  @Test
  void aMariadbTargetWithForeignKeysBothWaysIsReplacedInPlaceAndNoReferenceIsBroken()
      throws Exception {
    ConnectionSpec src = TestDatabases.postgres("metaload_src");
    ConnectionSpec maria = TestDatabases.mariadb("metaload_dst");
    createSource(src, "mfk_orders", 300);
    List<String> drops =
        new ArrayList<>(
            List.of(
                "SET foreign_key_checks = 0",
                "DROP TABLE IF EXISTS mfk_orders_lines",
                "DROP TABLE IF EXISTS mfk_orders",
                "DROP TABLE IF EXISTS mfk_days"));
    TestDatabases.execute(maria, drops.toArray(String[]::new));
    dropMariadbLeftovers(maria, "mfk_orders");
    DeltaLoad load = new DeltaLoad(dir, "mfk", "mfk_orders", src, maria, "full", "swap");
    TestDatabases.execute(
        maria,
        "CREATE TABLE mfk_days (day date PRIMARY KEY)",
        "INSERT INTO mfk_days SELECT DATE '2026-01-01' + INTERVAL seq DAY FROM seq_0_to_30",
        "CREATE TABLE mfk_orders (id bigint PRIMARY KEY, day date NOT NULL, amount decimal(12,2), note text, "
            + "CONSTRAINT mfk_orders_day FOREIGN KEY (day) REFERENCES mfk_days (day))",
        "CREATE TABLE mfk_orders_lines (line bigint PRIMARY KEY, order_id bigint NOT NULL, "
            + "CONSTRAINT mfk_lines_order FOREIGN KEY (order_id) REFERENCES mfk_orders (id) ON DELETE CASCADE)");
    load.runOk();
    TestDatabases.execute(
        maria, "INSERT INTO mfk_orders_lines SELECT id, id FROM mfk_orders WHERE id % 10 = 0");

    TestDatabases.execute(
        src,
        "UPDATE mfk_orders SET amount = amount + 1000 WHERE id % 3 = 0",
        "DELETE FROM mfk_orders WHERE id = 295",
        "INSERT INTO mfk_orders SELECT x, date '2026-01-01' + x % 20, x * 10, 'second' FROM generate_series(301, 350) x");
    Path pauses = Files.createDirectories(dir.resolve("mfk-pauses"));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve("mfk-kill.log"),
            MetaloadProcess.pauseAt("during-swap", pauses, 0),
            load.args())) {
      process.awaitPause(pauses, "during-swap");
      process.kill();
    }
    assertThat(
        "a kill inside the publication left the previous rows",
        TestDatabases.count(maria, "mfk_orders"),
        equalTo(300L));
    load.runOk("--resume");
    assertKeptInPlace(src, maria);

    TestDatabases.execute(
        src,
        "DELETE FROM mfk_orders WHERE id IN (20, 21)",
        "INSERT INTO mfk_orders VALUES (999, date '2027-01-01', 1, 'x')");
    CliRun refused = CliRun.metaload(load.args());
    assertThat(refused.err, refused.exitCode, equalTo(4));
    assertThat(
        refused.err,
        containsString(
            "foreign key mfk_lines_order of table mfk_orders_lines (a row refers to 20)"));
    assertThat(
        refused.err,
        containsString(
            "foreign key mfk_orders_day of table mfk_orders (a row refers to 2027-01-01)"));
    assertThat(
        "the target is untouched",
        TestDatabases.strings(maria, "SELECT count(*) FROM mfk_orders WHERE id IN (20, 21)"),
        equalTo(List.of("2")));
    TestDatabases.execute(
        src,
        "INSERT INTO mfk_orders VALUES (20, date '2026-01-05', 1, 'back')",
        "DELETE FROM mfk_orders WHERE id = 999");
    String failed = TestDatabases.strings(load.metadata, "SELECT MAX(run_id) FROM load_run").get(0);
    CliRun abandoned =
        CliRun.metaload("abandon", "--config", load.config.toString(), "--run", failed);
    assertThat(abandoned.err, abandoned.exitCode, equalTo(0));
    load.runOk();
    assertKeptInPlace(src, maria);
  }

  private static void assertKeptInPlace(ConnectionSpec src, ConnectionSpec maria) {
    TableComparison.assertSameRows(src, "mfk_orders", maria, "mfk_orders", COLUMNS, "id");
    assertThat(
        "no referring row was cascaded away",
        TestDatabases.count(maria, "mfk_orders_lines"),
        equalTo(30L));
    assertThat(
        TestDatabases.strings(
            maria,
            "SELECT CONCAT(TABLE_NAME, '>', REFERENCED_TABLE_NAME) FROM information_schema.REFERENTIAL_CONSTRAINTS "
                + "WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME IN ('mfk_orders_day', 'mfk_lines_order') ORDER BY CONSTRAINT_NAME"),
        equalTo(List.of("mfk_orders_lines>mfk_orders", "mfk_orders>mfk_days")));
    assertThat(
        TestDatabases.strings(
            maria,
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                + "AND TABLE_NAME LIKE 'mfk\\_orders\\_ml\\_%'"),
        equalTo(List.of()));
  }

  /**
   * Drops the staging, ledger and retired tables of {@code table} that an earlier failed test run
   * left in MariaDB.
   */
  private static void dropMariadbLeftovers(ConnectionSpec maria, String table) {
    List<String> drops = new ArrayList<>(List.of("SET foreign_key_checks = 0"));
    for (String leftover :
        TestDatabases.strings(
            maria,
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                + "AND TABLE_NAME LIKE '"
                + table.replace("_", "\\_")
                + "\\_ml\\_%'")) {
      drops.add("DROP TABLE " + leftover);
    }
    TestDatabases.execute(maria, drops.toArray(String[]::new));
  }

  /**
   * Drops {@code table}, what depends on it, and staging tables and ledgers an earlier failed test
   * run left.
   */
  private static void dropWithLeftovers(ConnectionSpec dst, String table) {
    TestDatabases.execute(
        dst,
        "DO $$ DECLARE r record; BEGIN FOR r IN SELECT oid::regclass AS t FROM pg_class WHERE relkind IN ('r', 'p') "
            + "AND (relname = '"
            + table
            + "' OR relname LIKE '"
            + table
            + "\\_ml\\_%') LOOP EXECUTE 'DROP TABLE IF EXISTS ' || r.t || ' CASCADE'; "
            + "END LOOP; END $$");
  }

  private static void createSource(ConnectionSpec src, String table, int rows) {
    TestDatabases.execute(
        src,
        "DROP TABLE IF EXISTS " + table,
        "CREATE TABLE "
            + table
            + " (id bigint PRIMARY KEY, day date NOT NULL, amount numeric(12,2), note text)",
        "INSERT INTO "
            + table
            + " SELECT x, date '2026-01-01' + x % 20, x * 10, 'n' || x FROM generate_series(1, "
            + rows
            + ") x");
  }

  /**
   * The target as people use it: created before metaload's first run, with everything a rename
   * would leave behind.
   */
  private static void createUsedTarget(ConnectionSpec dst, String table) {
    TestDatabases.execute(
        dst,
        "DROP TABLE IF EXISTS " + table + "_lines",
        "DROP TABLE IF EXISTS " + table + "_audit",
        "DROP MATERIALIZED VIEW IF EXISTS " + table + "_by_day",
        "DROP VIEW IF EXISTS " + table + "_big",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ml_report_a') THEN CREATE ROLE ml_report_a; END IF; "
            + "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ml_report_b') THEN CREATE ROLE ml_report_b; END IF; END $$",
        "CREATE TABLE "
            + table
            + " (id bigint PRIMARY KEY, day date NOT NULL, amount numeric(12,2), note text)",
        "CREATE VIEW "
            + table
            + "_big AS SELECT id, amount FROM "
            + table
            + " WHERE amount >= 1000",
        "CREATE MATERIALIZED VIEW "
            + table
            + "_by_day AS SELECT day, count(*) AS n FROM "
            + table
            + " GROUP BY day",
        "GRANT SELECT ON " + table + " TO ml_report_a",
        "GRANT SELECT (id, amount) ON " + table + " TO ml_report_b",
        "COMMENT ON TABLE " + table + " IS 'orders, reloaded nightly'",
        "COMMENT ON COLUMN " + table + ".amount IS 'in cents'",
        "ALTER TABLE " + table + " ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY "
            + table
            + "_reporting ON "
            + table
            + " FOR SELECT TO ml_report_a USING (amount >= 0)",
        "CREATE TABLE " + table + "_audit (n bigint)",
        "CREATE OR REPLACE FUNCTION "
            + table
            + "_audit_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO "
            + table
            + "_audit VALUES (1); RETURN NEW; END $$",
        "CREATE TRIGGER "
            + table
            + "_audited AFTER INSERT ON "
            + table
            + " FOR EACH ROW EXECUTE FUNCTION "
            + table
            + "_audit_fn()",
        "ALTER TABLE " + table + " REPLICA IDENTITY FULL",
        "CREATE TABLE "
            + table
            + "_lines (line bigint PRIMARY KEY, order_id bigint NOT NULL CONSTRAINT "
            + table
            + "_lines_order "
            + "REFERENCES "
            + table
            + " (id) DEFERRABLE)");
  }

  private static void assertKeptAndExact(ConnectionSpec src, ConnectionSpec dst, DeltaLoad load) {
    String t = load.table;
    TableComparison.assertSameRows(src, t, dst, t, COLUMNS, "id");
    assertThat(
        "the view reads the new rows",
        TestDatabases.strings(dst, "SELECT count(*) FROM " + t + "_big"),
        equalTo(TestDatabases.strings(src, "SELECT count(*) FROM " + t + " WHERE amount >= 1000")));
    TestDatabases.execute(dst, "REFRESH MATERIALIZED VIEW " + t + "_by_day");
    assertThat(
        "the materialized view refreshes from the new rows",
        TestDatabases.strings(dst, "SELECT sum(n) FROM " + t + "_by_day"),
        equalTo(TestDatabases.strings(src, "SELECT count(*) FROM " + t)));
    assertThat(
        TestDatabases.strings(
            dst,
            "SELECT has_table_privilege('ml_report_a', '"
                + t
                + "', 'SELECT')::text || ' ' "
                + "|| has_column_privilege('ml_report_b', '"
                + t
                + "', 'amount', 'SELECT')::text || ' ' "
                + "|| has_column_privilege('ml_report_b', '"
                + t
                + "', 'note', 'SELECT')::text"),
        equalTo(List.of("true true false")));
    assertThat(
        TestDatabases.strings(
            dst,
            "SELECT obj_description('"
                + t
                + "'::regclass, 'pg_class') || ' / ' "
                + "|| col_description('"
                + t
                + "'::regclass, 3)"),
        equalTo(List.of("orders, reloaded nightly / in cents")));
    assertThat(
        TestDatabases.strings(
            dst,
            "SELECT relrowsecurity::text || ' ' || relreplident::text || ' ' || (SELECT count(*) FROM pg_policy "
                + "WHERE polrelid = c.oid) FROM pg_class c WHERE oid = '"
                + t
                + "'::regclass"),
        equalTo(List.of("true f 1")));
    assertThat(
        "the trigger stays enabled",
        TestDatabases.strings(
            dst,
            "SELECT tgenabled::text FROM pg_trigger WHERE tgrelid = '"
                + t
                + "'::regclass AND NOT tgisinternal"),
        equalTo(List.of("O")));
    assertThat(
        "the trigger did not fire for the load",
        TestDatabases.count(dst, t + "_audit"),
        equalTo(0L));
    assertThat(
        "the foreign key still references the target",
        TestDatabases.strings(
            dst,
            "SELECT confrelid::regclass::text FROM "
                + "pg_constraint WHERE conname = '"
                + t
                + "_lines_order'"),
        equalTo(List.of(t)));
    assertNothingLeftBehind(dst, t);
  }

  private static void assertNothingLeftBehind(ConnectionSpec dst, String table) {
    assertThat(
        TestDatabases.strings(
            dst, "SELECT relname FROM pg_class WHERE relname LIKE '" + table + "\\_ml\\_%'"),
        equalTo(List.of()));
  }
}

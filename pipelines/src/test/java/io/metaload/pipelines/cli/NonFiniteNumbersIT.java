package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TestDatabases;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL's {@code numeric} NaN and infinities, a {@code numeric} beyond MariaDB's widest
 * decimal, and float NaN and infinities: a PostgreSQL target keeps them on every read path (the
 * {@code inet} column makes decoded rows go to PostgreSQL as COPY text, not binary); a MariaDB
 * target, which holds none of them, refuses each such row with its column and reason (a reject
 * under {@code maxRejects}, exit 6 without it), and loads the rest.
 */
class NonFiniteNumbersIT {
  private static final int ROWS = 200;

  /** The rows a target without NaN or infinities, and with at most 35 integer digits, can hold. */
  private static final String HOLDABLE =
      "n NOT IN ('NaN', 'Infinity', '-Infinity') AND abs(n) < 1e35 "
          + "AND f NOT IN ('NaN', 'Infinity', '-Infinity') AND r NOT IN ('NaN', 'Infinity', '-Infinity')";

  @TempDir static Path dir;
  static ConnectionSpec pg;
  static ConnectionSpec pgTarget;
  static ConnectionSpec mariaTarget;

  @BeforeAll
  static void createSource() {
    pg = TestDatabases.postgres("metaload_src");
    pgTarget = TestDatabases.postgres("metaload_dst");
    mariaTarget = TestDatabases.mariadb("metaload_dst");
    TestDatabases.execute(
        pg,
        "DROP TABLE IF EXISTS nf_src",
        "CREATE TABLE nf_src (id bigint PRIMARY KEY, n numeric, f float8, r real, addr inet NOT NULL DEFAULT '10.0.0.1')",
        "INSERT INTO nf_src SELECT g, g * 1.5, g / 3.0, g FROM generate_series(1, " + ROWS + ") g",
        "UPDATE nf_src SET n = 'NaN' WHERE id = 7",
        "UPDATE nf_src SET n = 'Infinity' WHERE id = 13",
        "UPDATE nf_src SET n = '-Infinity' WHERE id = 19",
        "UPDATE nf_src SET n = 1e70 WHERE id = 23",
        "UPDATE nf_src SET f = 'NaN' WHERE id = 29",
        "UPDATE nf_src SET f = 'Infinity' WHERE id = 31",
        "UPDATE nf_src SET f = '-Infinity' WHERE id = 37",
        "UPDATE nf_src SET r = 'NaN' WHERE id = 41");
  }

  @ParameterizedTest(name = "read by {0}")
  @ValueSource(strings = {"pass-through", "decoded COPY", "JDBC"})
  void aPostgresTargetKeepsNumericAndFloatNanAndInfinities(String path) throws Exception {
    String name = "nf_pg_" + path.replaceAll("\\W", "_").toLowerCase(Locale.ROOT);
    TestDatabases.execute(pgTarget, "DROP TABLE IF EXISTS " + name);
    Path config = configFor(name, pgTarget, "");

    CliRun r = onReadPath(path, () -> run(config, name));

    assertThat(r.err, r.exitCode, equalTo(0));
    String values =
        "SELECT id || ' ' || n::text || ' ' || f::text || ' ' || r::text || ' ' || addr::text FROM %s ORDER BY id";
    assertThat(
        TestDatabases.strings(pgTarget, String.format(values, name)),
        equalTo(TestDatabases.strings(pg, String.format(values, "nf_src"))));
  }

  @ParameterizedTest(name = "read by {0}")
  @ValueSource(strings = {"decoded COPY", "JDBC"})
  void valuesMariaDbCannotHoldAreRejectedNamingTheirColumnAndTheRestLoaded(String path)
      throws Exception {
    String name = "nf_maria_" + path.replaceAll("\\W", "_").toLowerCase(Locale.ROOT);
    TestDatabases.execute(mariaTarget, "DROP TABLE IF EXISTS " + name);
    ConnectionSpec metadata = TestDatabases.freshPostgres("metaload_meta_" + name.toLowerCase());
    Path config = configFor(name, mariaTarget, ", maxRejects: 10", metadata);

    CliRun r = onReadPath(path, () -> run(config, name));

    assertThat(r.err, r.exitCode, equalTo(0));
    assertThat(
        TestDatabases.strings(mariaTarget, "SELECT id FROM " + name + " ORDER BY id"),
        equalTo(
            TestDatabases.strings(pg, "SELECT id FROM nf_src WHERE " + HOLDABLE + " ORDER BY id")));
    assertThat(
        "the loaded decimals are the source's",
        new BigDecimal(TestDatabases.strings(mariaTarget, "SELECT SUM(n) FROM " + name).get(0))
            .compareTo(
                new BigDecimal(
                    TestDatabases.strings(pg, "SELECT SUM(n) FROM nf_src WHERE " + HOLDABLE)
                        .get(0))),
        equalTo(0));
    List<String> notHoldable =
        TestDatabases.strings(pg, "SELECT id FROM nf_src WHERE NOT (" + HOLDABLE + ") ORDER BY id");
    assertThat(
        TestDatabases.strings(
            metadata,
            "SELECT row_data::json ->> 'id' FROM load_reject ORDER BY (row_data::json ->> 'id')::bigint"),
        equalTo(notHoldable));
    assertThat(
        TestDatabases.strings(metadata, "SELECT step FROM load_reject"),
        everyItem(equalTo("target")));
    assertThat(
        TestDatabases.strings(
            metadata,
            "SELECT reason FROM load_reject WHERE row_data::json ->> 'id' IN ('7', '13', '19')"),
        everyItem(
            allOf(
                containsString("column n: the value"),
                containsString("has no form in mariadb's decimal(65,30)"))));
    assertThat(
        TestDatabases.strings(
            metadata, "SELECT reason FROM load_reject WHERE row_data::json ->> 'id' = '23'"),
        everyItem(containsString("Out of range value for column 'n'")));
    assertThat(
        TestDatabases.strings(
            metadata,
            "SELECT reason FROM load_reject WHERE row_data::json ->> 'id' IN ('29', '31', '37')"),
        everyItem(containsString("column f: the value")));
    assertThat(
        TestDatabases.strings(
            metadata,
            "SELECT row_data::json ->> 'r' FROM load_reject WHERE row_data::json ->> 'id' = '41'"),
        equalTo(List.of("NaN")));
    assertThat(
        TestDatabases.strings(
            metadata,
            "SELECT CONCAT(SUM(rows_read), ' ', SUM(rows_written), ' ', SUM(rows_rejected)) FROM load_batch"),
        equalTo(List.of(ROWS + " " + (ROWS - notHoldable.size()) + " " + notHoldable.size())));
  }

  @Test
  void withoutMaxRejectsAValueMariaDbCannotHoldFailsTheRunWithExit6AndPublishesNothing()
      throws Exception {
    String name = "nf_maria_strict";
    TestDatabases.execute(mariaTarget, "DROP TABLE IF EXISTS " + name);
    Path config = configFor(name, mariaTarget, "");

    CliRun r = run(config, name);

    assertThat(r.err, r.exitCode, equalTo(6));
    String errorLine = r.err.strip().substring(r.err.strip().lastIndexOf('\n') + 1);
    assertThat(
        errorLine,
        allOf(
            containsString("\"exitCode\":6"),
            containsString("has no form in mariadb's"),
            containsString("SQLState 22003")));
    assertThat(
        "nothing is published",
        TestDatabases.tableExists(mariaTarget, name) ? TestDatabases.count(mariaTarget, name) : 0L,
        equalTo(0L));
  }

  private static Path configFor(String name, ConnectionSpec target, String loadOptions)
      throws Exception {
    return configFor(
        name,
        target,
        loadOptions,
        TestDatabases.freshPostgres("metaload_meta_" + name.toLowerCase()));
  }

  private static Path configFor(
      String name, ConnectionSpec target, String loadOptions, ConnectionSpec metadata)
      throws Exception {
    Path config = KillableLoad.writeConfig(dir, name, metadata, pg, target);
    Path loads = dir.resolve(name + ".yaml");
    Files.writeString(
        loads,
        "loads:\n  - { name: "
            + name
            + ", source: { connection: src, table: nf_src }, splitKey: id, batchSize: 50"
            + loadOptions
            + ", target: { connection: dst, table: "
            + name
            + " } }\n");
    CliRun imported =
        CliRun.metaload("metadata", "import", "--config", config.toString(), loads.toString());
    assertThat(imported.err, imported.exitCode, equalTo(0));
    return config;
  }

  private static CliRun run(Path config, String name) {
    return CliRun.metaload(
        "run", "--config", config.toString(), "--load", name, "--runner=DirectRunner");
  }

  /**
   * Runs with the faster read paths switched off down to {@code path}; the switches are restored
   * after.
   */
  private static CliRun onReadPath(String path, Supplier<CliRun> run) {
    String passThrough = System.getProperty("metaload.copyPassThrough");
    String decoding = System.getProperty("metaload.copyDecoding");
    try {
      System.setProperty("metaload.copyPassThrough", String.valueOf(path.equals("pass-through")));
      System.setProperty("metaload.copyDecoding", String.valueOf(!path.equals("JDBC")));
      return run.get();
    } finally {
      restore("metaload.copyPassThrough", passThrough);
      restore("metaload.copyDecoding", decoding);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}

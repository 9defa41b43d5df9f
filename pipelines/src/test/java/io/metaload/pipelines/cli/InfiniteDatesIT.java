package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL's {@code infinity} and {@code -infinity} dates and timestamps on the decoded path (a
 * flowgraph reads rows): kept exactly into PostgreSQL, and refused row by row, as rejects with the
 * database's reason, by a MariaDB target that has no such values.
 */
class InfiniteDatesIT {
  @TempDir static Path dir;
  static ConnectionSpec source;

  @BeforeAll
  static void createSource() {
    source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS inf_src",
        "CREATE TABLE inf_src (id bigint PRIMARY KEY, d date, ts timestamp, tz timestamptz)",
        "INSERT INTO inf_src VALUES (1, '2024-02-29', '2024-02-29 12:34:56.123456', '2024-02-29 12:34:56.123456+00'), "
            + "(2, 'infinity', 'infinity', 'infinity'), (3, '-infinity', '-infinity', '-infinity'), (4, NULL, NULL, NULL), "
            + "(5, '1999-12-31', '1999-12-31 23:59:59', '1999-12-31 23:59:59+00')");
  }

  private static Path define(String name, ConnectionSpec target) throws Exception {
    TestDatabases.execute(target, "DROP TABLE IF EXISTS " + name);
    Path config =
        KillableLoad.writeConfig(
            dir, name, TestDatabases.freshPostgres("metaload_meta_" + name), source, target);
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        "flowgraphs:\n  - name: all_columns\n    steps:\n      - select: [id, d, ts, tz]\n"
            + "loads:\n  - { name: "
            + name
            + ", source: { connection: src, table: inf_src }, splitKey: id, flowgraph: all_columns, "
            + "maxRejects: 5, target: { connection: dst, table: "
            + name
            + " } }\n");
    CliRun imported =
        CliRun.metaload("metadata", "import", "--config", config.toString(), file.toString());
    assertThat(imported.err, imported.exitCode, equalTo(0));
    return config;
  }

  @Test
  void infiniteValuesLoadExactlyIntoPostgresOnTheDecodedPath() throws Exception {
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    Path config = define("inf_pg", target);

    CliRun r =
        CliRun.metaload(
            "run", "--config", config.toString(), "--load", "inf_pg", "--runner=DirectRunner");

    assertThat(r.err, r.exitCode, equalTo(0));
    String sql =
        "SELECT CONCAT(id, ' ', d, ' ', ts, ' ', tz AT TIME ZONE 'UTC') FROM %s ORDER BY id";
    assertThat(
        TestDatabases.strings(target, String.format(sql, "inf_pg")),
        equalTo(TestDatabases.strings(source, String.format(sql, "inf_src"))));
  }

  @Test
  void aMariadbTargetRefusesInfiniteValuesRowByRow() throws Exception {
    ConnectionSpec target = TestDatabases.mariadb("metaload_dst");
    Path config = define("inf_maria", target);

    CliRun r =
        CliRun.metaload(
            "run", "--config", config.toString(), "--load", "inf_maria", "--runner=DirectRunner");

    assertThat(r.err, r.exitCode, equalTo(0));
    assertThat(
        TestDatabases.strings(
            target, "SELECT CONCAT(id, ' ', COALESCE(d, '-')) FROM inf_maria ORDER BY id"),
        equalTo(List.of("1 2024-02-29", "4 -", "5 1999-12-31")));
    assertThat(
        TestDatabases.strings(
            TestDatabases.postgres("metaload_meta_inf_maria"),
            "SELECT CONCAT(step, ' ', row_data::json ->> 'id') FROM load_reject ORDER BY 1"),
        equalTo(List.of("target 2", "target 3")));
  }
}

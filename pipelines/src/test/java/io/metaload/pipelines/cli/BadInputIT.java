package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad config, bad metadata and unreachable databases through the command line: each gives its
 * documented exit code, a message that says what is wrong, a JSON last line on stderr, and leaves
 * the target as it was.
 */
class BadInputIT {
  @TempDir static Path dir;
  static Path config;
  static ConnectionSpec target;

  @BeforeAll
  static void setUp() throws IOException {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    target = TestDatabases.postgres("metaload_dst");
    TestDatabases.mariadb("metaload_src");
    SampleTables.postgres(source, "bad_input_source", 100);
    TestDatabases.execute(
        target,
        "DROP TABLE IF EXISTS bad_input_new",
        "DROP TABLE IF EXISTS bad_input_existing",
        "CREATE TABLE bad_input_existing (id bigint PRIMARY KEY, other text)",
        "INSERT INTO bad_input_existing VALUES (1, 'keep me')");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS bad_input_money",
        "DROP TYPE IF EXISTS bad_input_pair",
        "CREATE TYPE bad_input_pair AS (a int, b text)",
        "CREATE TABLE bad_input_money (id bigint PRIMARY KEY, price money, pair bad_input_pair)",
        "INSERT INTO bad_input_money VALUES (1, 2.5, (1, 'x'))");
    config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "metadata:",
            "  url: jdbc:h2:file:" + dir.resolve("metadata") + ";AUTO_SERVER=TRUE",
            "  user: sa",
            "connections:",
            "  src: { url: '" + source.url() + "', user: postgres }",
            "  dst: { url: '" + target.url() + "', user: postgres }",
            "  maria_wrong_password: { url: 'jdbc:mariadb://127.0.0.1:3306/metaload_src', user: root, password: '${env:METALOAD_TEST_WRONG_PASSWORD}' }",
            "  nothing_listens: { url: 'jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=3', user: postgres }",
            ""));
    Path loads = dir.resolve("loads.yaml");
    Files.writeString(
        loads,
        String.join(
            "\n",
            "loads:",
            "  - { name: missing_table, source: { connection: src, table: no_such_table }, splitKey: id, target: { connection: dst, table: bad_input_new } }",
            "  - { name: missing_key, source: { connection: src, table: bad_input_source }, splitKey: no_such_column, target: { connection: dst, table: bad_input_new } }",
            "  - { name: wrong_password, source: { connection: maria_wrong_password, table: t }, splitKey: id, target: { connection: dst, table: bad_input_new } }",
            "  - { name: unreachable, source: { connection: nothing_listens, table: t }, splitKey: id, target: { connection: dst, table: bad_input_new } }",
            "  - { name: mismatched_target, source: { connection: src, table: bad_input_source }, splitKey: id, target: { connection: dst, table: bad_input_existing } }",
            "  - { name: unmapped_type, source: { connection: src, table: bad_input_money }, splitKey: id, target: { connection: dst, table: bad_input_new } }",
            ""));
    CliRun imported =
        CliRun.metaload("metadata", "import", "--config", config.toString(), loads.toString());
    assertThat(imported.err, imported.exitCode, equalTo(0));
  }

  @Test
  void aMissingSourceTableIsBadConfigAndCreatesNothing() {
    CliRun r = run("missing_table");
    assertFailure(r, 2, "source table no_such_table does not exist");
    assertThat(TestDatabases.tableExists(target, "bad_input_new"), equalTo(false));
  }

  @Test
  void aMissingSplitKeyColumnIsBadConfigAndCreatesNothing() {
    CliRun r = run("missing_key");
    assertFailure(r, 2, "split key column 'no_such_column' does not exist");
    assertThat(TestDatabases.tableExists(target, "bad_input_new"), equalTo(false));
  }

  @Test
  void aWrongPasswordIsADatabaseUnreachableWithoutThePassword() {
    CliRun r = run("wrong_password");
    assertFailure(r, 3, "cannot connect to source 'maria_wrong_password'");
    assertThat(r.err, not(containsString("not-the-password")));
    assertThat(TestDatabases.tableExists(target, "bad_input_new"), equalTo(false));
  }

  @Test
  void aServerThatDoesNotListenIsADatabaseUnreachable() {
    CliRun r = run("unreachable");
    assertFailure(r, 3, "cannot connect to source 'nothing_listens'");
  }

  @Test
  void aTargetWithOtherColumnsIsRefusedBeforeAnyDataMoves() {
    CliRun r = run("mismatched_target");
    assertFailure(r, 2, "does not match source table");
    assertThat(r.err, containsString("column customer_id is missing in the target"));
    assertThat(TestDatabases.count(target, "bad_input_existing"), equalTo(1L));
  }

  @Test
  void aColumnOfATypeThatCannotBeMappedIsRefusedAtPlanTimeNamingItAndWhatIsSupported() {
    CliRun r = run("unmapped_type");
    assertFailure(
        r,
        2,
        "table bad_input_money column price has type money, which metaload cannot load; it loads integers");
    assertThat(r.err, containsString("configuration.md, 'Column types'"));
    assertThat(TestDatabases.tableExists(target, "bad_input_new"), equalTo(false));
  }

  @Test
  void anUnknownLoadNameIsBadUsageListingTheDefinedLoads() {
    CliRun r = run("no_such_load");
    assertFailure(r, 2, "unknown load 'no_such_load'");
    assertThat(r.err, containsString("missing_table"));
  }

  @Test
  void anInvalidYamlFileIsRefusedWhole() throws IOException {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "loads:\n  - name: [unclosed\n");
    assertFailure(
        CliRun.metaload("metadata", "import", "--config", config.toString(), broken.toString()),
        2,
        "not valid YAML");

    Path invalid = dir.resolve("invalid.yaml");
    Files.writeString(
        invalid,
        "loads:\n  - { name: fine, source: { connection: src, table: a }, splitKey: id, target: { connection: dst, table: b } }\n"
            + "  - { name: bad, source: { connection: src, table: a }, splitKey: id, batchSize: -1, target: { connection: dst, table: b } }\n");
    assertFailure(
        CliRun.metaload("metadata", "import", "--config", config.toString(), invalid.toString()),
        2,
        "load 'bad': field 'batchSize'");
    CliRun exported = CliRun.metaload("metadata", "export", "--config", config.toString());
    assertThat(exported.out, not(containsString("name: fine")));
  }

  @Test
  void anInvalidConfigFileAndBadUsageExitWithTwo() throws IOException {
    Path bad = dir.resolve("bad-config.yaml");
    Files.writeString(bad, "metadata: {url: 'jdbc:h2:mem:x', password: plain}\n");
    assertFailure(
        CliRun.metaload("validate", "--config", bad.toString()),
        2,
        "must be an ${env:NAME} or ${file:PATH} reference");
    assertFailure(CliRun.metaload("run", "--load", "x"), 2, "Missing required option");
    assertFailure(CliRun.metaload("frobnicate"), 2, "Unmatched argument");
  }

  @Test
  void validateReportsEveryBrokenLoadAndMovesNoData() {
    CliRun r = CliRun.metaload("validate", "--config", config.toString());
    assertThat(r.out, containsString("load missing_table: FAILED"));
    assertThat(r.out, containsString("load wrong_password: FAILED"));
    assertThat(r.exitCode, not(equalTo(0)));
    assertThat(TestDatabases.tableExists(target, "bad_input_new"), equalTo(false));
  }

  private static CliRun run(String load) {
    return CliRun.metaload(
        "run", "--config", config.toString(), "--load", load, "--runner=DirectRunner");
  }

  private static void assertFailure(CliRun r, int exitCode, String message) {
    assertThat(r.err, r.exitCode, equalTo(exitCode));
    assertThat(r.err, containsString(message));
    String[] lines = r.err.strip().split("\n");
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(lines[lines.length - 1]);
    } catch (IOException e) {
      throw new AssertionError("last stderr line is not JSON: " + lines[lines.length - 1], e);
    }
    assertThat(json.get("exitCode").asInt(), equalTo(exitCode));
    assertThat(json.get("message").asText(), containsString(message));
    assertThat(
        json.has("run")
            && json.has("load")
            && json.has("partition")
            && json.has("batch")
            && json.has("error"),
        equalTo(true));
  }
}

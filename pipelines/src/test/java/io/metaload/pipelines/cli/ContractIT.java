package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
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
 * Data contracts: checks run on staging before publication and are recorded with their values; a
 * failed check publishes nothing (exit 4); a contract that no longer matches the load's columns is
 * exit 2 for run and validate; a malformed check is refused at import.
 */
class ContractIT {
  private static final int ROWS = 1000;

  @TempDir static Path dir;
  static ConnectionSpec source;
  static ConnectionSpec target;

  @BeforeAll
  static void createSource() {
    source = TestDatabases.postgres("metaload_src");
    target = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS ct_orders",
        "CREATE TABLE ct_orders (id bigint PRIMARY KEY, cust varchar(20), amount numeric(10,2) NOT NULL, status varchar(12) NOT NULL, "
            + "created_at timestamp NOT NULL)",
        "INSERT INTO ct_orders SELECT n, CASE WHEN n % 100 = 0 THEN NULL ELSE 'C' || n END, n * 1.5, "
            + "CASE WHEN n % 3 = 0 THEN 'paid' ELSE 'open' END, now() AT TIME ZONE 'UTC' - n * interval '1 minute' "
            + "FROM generate_series(1, "
            + ROWS
            + ") n");
  }

  private static String contract(String quality, String schema) {
    return "contracts:\n  - load: LOAD\n    dataset: orders_global\n    owner: checkout_team@example.com\n    quality:\n"
        + quality
        + "    schema:\n"
        + schema;
  }

  private static final String SCHEMA =
      String.join(
          "\n",
          "      - { name: id, type: bigint, primary_key: true }",
          "      - { name: amount, type: 'decimal(10,2)', nullable: false, constraints: [min_value(0), max_value(100000)] }",
          "      - { name: status, type: string, constraints: ['accepted_values([open, paid])'] }",
          "      - { name: cust, type: string, pii: true }",
          "");

  private Path define(String name, String contract) throws Exception {
    TestDatabases.execute(target, "DROP TABLE IF EXISTS " + name);
    ConnectionSpec metadata = TestDatabases.freshPostgres("metaload_meta_" + name);
    Path config = KillableLoad.writeConfig(dir, name, metadata, source, target);
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        "loads:\n  - { name: "
            + name
            + ", source: { connection: src, table: ct_orders }, splitKey: id, batchSize: 300, "
            + "target: { connection: dst, table: "
            + name
            + " } }\n"
            + contract.replace("LOAD", name));
    return config;
  }

  private static CliRun importInto(Path config, String name) {
    return CliRun.metaload(
        "metadata",
        "import",
        "--config",
        config.toString(),
        config.resolveSibling(name + ".yaml").toString());
  }

  @Test
  void passingChecksAreRecordedWithTheirValuesAndTheRunPublishes() throws Exception {
    Path config =
        define(
            "ct_pass",
            contract(
                String.join(
                    "\n",
                    "      - check: row_count > 0",
                    "      - check: null_share(cust) < 0.02",
                    "      - check: unique(id)",
                    "      - check: freshness(created_at) < 2d",
                    ""),
                SCHEMA));
    CliRun imported = importInto(config, "ct_pass");
    assertThat(imported.err, imported.exitCode, equalTo(0));
    assertThat(imported.out, containsString("1 contract(s), 1 new version(s)"));

    CliRun r =
        CliRun.metaload(
            "run", "--config", config.toString(), "--load", "ct_pass", "--runner=DirectRunner");

    assertThat(r.err, r.exitCode, equalTo(0));
    assertThat(TestDatabases.count(target, "ct_pass"), equalTo((long) ROWS));
    ConnectionSpec metadata = TestDatabases.postgres("metaload_meta_ct_pass");
    List<String> checks =
        TestDatabases.strings(
            metadata,
            "SELECT CONCAT(check_name, ' | ', actual_text, ' | ', passed) FROM load_validation "
                + "WHERE check_name LIKE 'contract%' ORDER BY check_name");
    assertThat(
        checks.remove(3),
        allOf(
            containsString("contract 4: freshness(created_at) < 2d | newest "),
            containsString(" min old | t")));
    assertThat(
        checks,
        equalTo(
            List.of(
                "contract 1: row_count > 0 | 1000 | t",
                "contract 2: null_share(cust) < 0.02 | 0.01 (10 of 1000 NULL) | t",
                "contract 3: unique(id) | 0 duplicated keys | t",
                "contract 5: null_share(amount) <= 0 | 0 (0 of 1000 NULL) | t",
                "contract 6: min(amount) >= 0 | 1.50 | t",
                "contract 7: max(amount) <= 100000 | 1500.00 | t",
                "contract 8: accepted_values(status, [open, paid]) | 0 rows with other values | t")));
  }

  @Test
  void aFailedCheckPublishesNothingAndNamesTheCheckAndItsValue() throws Exception {
    Path config =
        define(
            "ct_fail",
            contract(
                "      - check: null_share(cust) < 0.001\n      - check: row_count > 0\n", SCHEMA));
    assertThat(importInto(config, "ct_fail").exitCode, equalTo(0));

    CliRun r =
        CliRun.metaload(
            "run", "--config", config.toString(), "--load", "ct_fail", "--runner=DirectRunner");

    assertThat(r.err, r.exitCode, equalTo(4));
    assertThat(
        r.err,
        allOf(
            containsString(
                "the contract of load 'ct_fail' (version 1, owner checkout_team@example.com) failed"),
            containsString("null_share(cust) < 0.001 (actual 0.01 (10 of 1000 NULL))"),
            containsString("left untouched")));
    assertThat(TestDatabases.count(target, "ct_fail"), equalTo(0L));
  }

  @Test
  void aContractThatNoLongerMatchesIsRefusedByRunAndValidate() throws Exception {
    Path config =
        define(
            "ct_drift",
            contract(
                "      - check: row_count > 0\n",
                String.join(
                    "\n",
                    "      - { name: id, type: bigint, primary_key: true }",
                    "      - { name: discount, type: 'decimal(5,2)' }",
                    "      - { name: status, type: integer }",
                    "")));
    assertThat(importInto(config, "ct_drift").exitCode, equalTo(0));

    CliRun r =
        CliRun.metaload(
            "run", "--config", config.toString(), "--load", "ct_drift", "--runner=DirectRunner");
    CliRun v = CliRun.metaload("validate", "--config", config.toString(), "--load", "ct_drift");

    assertThat(r.err, r.exitCode, equalTo(2));
    assertThat(
        r.err,
        allOf(
            containsString("load 'ct_drift': contract version 1 no longer matches"),
            containsString("column 'discount' does not exist"),
            containsString("column 'status' is string, the contract says integer")));
    assertThat(v.out + v.err, v.exitCode, equalTo(2));
    assertThat(TestDatabases.tableExists(target, "ct_drift"), equalTo(false));
  }

  @Test
  void theContractsPiiColumnsNeverShowInRejects() throws Exception {
    Path config =
        define(
            "ct_pii",
            "flowgraphs:\n  - name: ct_pii_rules\n    steps:\n      - require: { column: amount, max: 15 }\n"
                + contract("      - check: row_count > 0\n", SCHEMA));
    Files.writeString(
        config.resolveSibling("ct_pii.yaml"),
        Files.readString(config.resolveSibling("ct_pii.yaml"))
            .replace(
                "batchSize: 300,", "batchSize: 300, flowgraph: ct_pii_rules, maxRejects: 1000,"));
    CliRun imported = importInto(config, "ct_pii");
    assertThat(imported.err, imported.exitCode, equalTo(0));

    CliRun r =
        CliRun.metaload(
            "run", "--config", config.toString(), "--load", "ct_pii", "--runner=DirectRunner");

    assertThat(r.err, r.exitCode, equalTo(0));
    List<String> rows =
        TestDatabases.strings(
            TestDatabases.postgres("metaload_meta_ct_pii"),
            "SELECT row_data FROM load_reject ORDER BY (row_data::json ->> 'id')::bigint");
    assertThat(rows.size(), equalTo(ROWS - 10));
    assertThat(
        rows.get(0), allOf(containsString("\"cust\":\"***\""), containsString("\"amount\":16.50")));
    assertThat(String.join("", rows).contains("\"C1"), equalTo(false));
  }

  @Test
  void aMalformedCheckIsRefusedAtImport() throws Exception {
    Path config = define("ct_bad", contract("      - check: nul_share(cust) < 1\n", SCHEMA));
    CliRun r = importInto(config, "ct_bad");
    assertThat(r.err, r.exitCode, equalTo(2));
    assertThat(
        r.err,
        allOf(
            containsString("contract of load 'ct_bad'"),
            containsString("check 'nul_share(cust) < 1' is not one of")));
  }
}

package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunStatus;
import io.metaload.testing.TestDatabases;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A flowgraph with rename, cast, filter, trim, a computed column, a salted hash, a require rule and
 * drop, loaded from PostgreSQL and from MariaDB into PostgreSQL: the target equals rows computed
 * here independently, row for row; the rejected rows are in {@code load_reject} with step, reason
 * and the row (the hashed column never in clear); read = written + rejected + filtered; a breached
 * reject limit publishes nothing; a kill after committed batches leaves one copy of each reject.
 */
class FlowgraphLoadIT {
  private static final int ROWS = 3000;
  private static final String SALT = "pepper-for-tests";

  /** Cancelled orders (every tenth) are filtered out. */
  private static final int FILTERED = ROWS / 10;

  /**
   * Amounts 'n/a' (every 701st) fail the cast; NULL customers (every 499th) fail the require rule.
   */
  private static final int REJECTED = ROWS / 701 + ROWS / 499;

  @TempDir static Path dir;
  static Path saltFile;
  static ConnectionSpec pg;
  static ConnectionSpec maria;
  static ConnectionSpec target;

  @BeforeAll
  static void createSources() throws Exception {
    saltFile = dir.resolve("salt");
    Files.writeString(saltFile, SALT + "\n");
    pg = TestDatabases.postgres("metaload_src");
    maria = TestDatabases.mariadb("metaload_src");
    target = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(
        pg,
        "DROP TABLE IF EXISTS fg_orders",
        "CREATE TABLE fg_orders (id bigint PRIMARY KEY, cust varchar(20), amount varchar(20), status varchar(12), email varchar(60), "
            + "note text)",
        "INSERT INTO fg_orders SELECT n, CASE WHEN n % 499 = 0 THEN NULL ELSE 'C' || n END, "
            + "CASE WHEN n % 701 = 0 THEN 'n/a' ELSE (n * 1.5)::text END, CASE WHEN n % 10 = 0 THEN 'cancelled' ELSE 'open' END, "
            + "'  User' || n || '@Example.COM ', 'note ' || n FROM generate_series(1, "
            + ROWS
            + ") n");
    TestDatabases.execute(
        maria,
        "DROP TABLE IF EXISTS fg_orders",
        "CREATE TABLE fg_orders (id bigint PRIMARY KEY, cust varchar(20), amount varchar(20), status varchar(12), email varchar(60), "
            + "note text)",
        "INSERT INTO fg_orders SELECT seq, IF(seq % 499 = 0, NULL, CONCAT('C', seq)), IF(seq % 701 = 0, 'n/a', CAST(seq * 1.5 AS CHAR)), "
            + "IF(seq % 10 = 0, 'cancelled', 'open'), CONCAT('  User', seq, '@Example.COM '), CONCAT('note ', seq) FROM seq_1_to_"
            + ROWS);
  }

  private static String flowgraph(String name) {
    return String.join(
        "\n",
        "flowgraphs:",
        "  - name: " + name,
        "    steps:",
        "      - rename: { cust: customer_id }",
        "      - cast: { amount: 'decimal(12,2)' }",
        "      - filter: \"status != 'cancelled'\"",
        "      - trim: { columns: [email], case: lower }",
        "      - compute: { column: amount_gross, type: 'decimal(14,2)', expression: \"amount * toDecimal('1.19')\" }",
        "      - hash: { columns: [email], salt: '${file:" + saltFile + "}' }",
        "      - name: customer-known",
        "        require: { column: customer_id, notNull: true }",
        "      - drop: [note]",
        "");
  }

  private static FlowgraphLoad load(String name, ConnectionSpec source, String maxRejects)
      throws Exception {
    return new FlowgraphLoad(name, source, flowgraph(name + "_clean"), maxRejects);
  }

  @ParameterizedTest(name = "from {0}")
  @ValueSource(strings = {"postgresql", "mariadb"})
  void theTargetHoldsExactlyTheTransformedRowsAndTheRejectsAreRecorded(String db) throws Exception {
    FlowgraphLoad load = load("fg_" + db, db.equals("postgresql") ? pg : maria, "{ rows: 10 }");

    CliRun r = CliRun.metaload(load.run("--runner=DirectRunner"));

    assertThat(r.err, r.exitCode, equalTo(0));
    assertThat(
        rows(
            target,
            "SELECT id, customer_id, amount, status, email, amount_gross FROM "
                + load.table
                + " ORDER BY id"),
        equalTo(expectedRows()));
    RunQueries.RunSummary run = load.runs().get(0);
    assertThat(run.message, run.status, equalTo(RunStatus.SUCCEEDED));
    assertThat("rows written", run.rowsWritten, equalTo((long) (ROWS - FILTERED - REJECTED)));
    assertThat(
        "read, written, rejected",
        TestDatabases.strings(
            load.metadata,
            "SELECT CONCAT(SUM(rows_read), ' ', SUM(rows_written), ' ', "
                + "SUM(rows_rejected)) FROM load_batch WHERE run_id = "
                + run.runId),
        equalTo(List.of(ROWS + " " + (ROWS - FILTERED - REJECTED) + " " + REJECTED)));
    List<String> rejects =
        TestDatabases.strings(
            load.metadata,
            "SELECT CONCAT(step, ' | ', reason) FROM load_reject WHERE run_id = "
                + run.runId
                + " ORDER BY step, reason");
    List<String> expected = new ArrayList<>();
    for (int n = 1; n <= ROWS; n++) {
      if (n % 701 == 0) {
        expected.add("2-cast | column amount: 'n/a' is not a valid numeric(12,2)");
      }
    }
    for (int n = 1; n <= ROWS; n++) {
      if (n % 499 == 0) {
        expected.add("customer-known | customer_id is NULL");
      }
    }
    assertThat(rejects, equalTo(expected));
    List<String> json =
        TestDatabases.strings(
            load.metadata,
            "SELECT row_data FROM load_reject WHERE run_id = "
                + run.runId
                + " AND step = 'customer-known' ORDER BY row_data");
    assertThat(
        json.get(0),
        allOf(
            containsString("\"customer_id\":null"),
            containsString("\"email\":\"***\""),
            not(containsString("user"))));
    assertThat(
        TestDatabases.strings(
            load.metadata,
            "SELECT COUNT(*) FROM load_reject WHERE run_id = "
                + run.runId
                + " AND load_name = '"
                + load.name
                + "' AND partition_id = 0"),
        equalTo(List.of(String.valueOf(REJECTED))));
    assertThat(
        TestDatabases.strings(
            load.metadata,
            "SELECT CONCAT(check_name, ' ', expected, ' ', actual, ' ', passed) FROM load_validation "
                + "WHERE run_id = "
                + run.runId
                + " AND check_name IN ('rejected_rows_recorded', 'rejected_rows_within_limit') ORDER BY check_name"),
        equalTo(List.of("rejected_rows_recorded 10 10 t", "rejected_rows_within_limit 10 10 t")));
    CliRun status =
        CliRun.metaload(
            "status", "--config", load.config.toString(), "--run", String.valueOf(run.runId));
    assertThat(
        status.out,
        allOf(
            containsString(
                "flowgraph: " + load.name + "_clean version 1, 8 step(s): 1-rename, 2-cast"),
            containsString("customer-known: customer_id is NULL (6)"),
            containsString("2-cast: column amount: 'n/a' is not a valid numeric(12,2) (4)")));
  }

  @Test
  void tooManyRejectsPublishNothingAndNameTheTopReasons() throws Exception {
    FlowgraphLoad load = load("fg_limit", pg, "{ rows: 5 }");

    CliRun r = CliRun.metaload(load.run("--runner=DirectRunner"));

    assertThat(r.err, r.exitCode, equalTo(4));
    assertThat(
        r.err,
        allOf(
            containsString("10 rows rejected, more than maxRejects.rows = 5"),
            containsString("customer-known: customer_id is NULL (6)"),
            containsString("left untouched")));
    assertThat("rows published", TestDatabases.count(target, load.table), equalTo(0L));
  }

  @Test
  void aShareLimitCountsAgainstRowsRead() throws Exception {
    FlowgraphLoad load = load("fg_share", pg, "{ share: '0.5%' }");

    CliRun r = CliRun.metaload(load.run("--runner=DirectRunner"));

    assertThat(r.err, r.exitCode, equalTo(0));
    assertThat(
        TestDatabases.count(target, load.table), equalTo((long) (ROWS - FILTERED - REJECTED)));
  }

  @Test
  void aRunKilledAfterCommittedBatchesKeepsOneCopyOfEachReject() throws Exception {
    FlowgraphLoad load = load("fg_kill", pg, "{ rows: 10 }");
    Path pauses = Files.createDirectories(dir.resolve("fg_kill_pauses"));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve("fg_kill.log"),
            MetaloadProcess.pauseAt("batch-committed", pauses, 2),
            load.run("--runner=DirectRunner"))) {
      process.awaitPause(pauses, "batch-committed");
      process.kill();
    }

    CliRun resumed = CliRun.metaload(load.run("--auto-resume", "--runner=DirectRunner"));

    assertThat(resumed.err, resumed.exitCode, equalTo(0));
    RunQueries.RunSummary run = load.runs().get(0);
    assertThat("attempt", run.attempt, equalTo(2));
    assertThat(
        TestDatabases.strings(
            load.metadata,
            "SELECT CONCAT(COUNT(*), ' ', COUNT(DISTINCT CONCAT(batch_id, '/', row_index))) "
                + "FROM load_reject WHERE run_id = "
                + run.runId),
        equalTo(List.of(REJECTED + " " + REJECTED)));
    assertThat(
        rows(
            target,
            "SELECT id, customer_id, amount, status, email, amount_gross FROM "
                + load.table
                + " ORDER BY id"),
        equalTo(expectedRows()));
  }

  @Test
  void badFlowgraphsAreRefusedNamingFlowgraphStepAndField() throws Exception {
    refusedAtImport(
        "fg_bad_type",
        "      - explode: { column: id }",
        "flowgraph 'fg_bad_type_clean', step '1-explode'",
        "unknown step type 'explode'");
    refusedAtImport(
        "fg_bad_salt",
        "      - hash: { columns: [email], salt: '${env:METALOAD_SALT_NOT_SET}' }",
        "step '1-hash'",
        "field 'salt'",
        "METALOAD_SALT_NOT_SET is not set");
    refusedAtImport(
        "fg_clear_salt",
        "      - hash: { columns: [email], salt: pepper }",
        "step '1-hash'",
        "never the salt itself");
    refusedAtRun(
        "fg_bad_column",
        "      - rename: { customer: customer_id }",
        "flowgraph 'fg_bad_column_clean', step '1-rename'",
        "column 'customer' does not exist");
    refusedAtRun(
        "fg_bad_expr", "      - filter: 'amount +* 2 >'", "step '1-filter'", "does not parse");
    refusedAtRun(
        "fg_bad_kind",
        "      - filter: \"concat(status, 'x')\"",
        "step '1-filter'",
        "is String, not a condition");
    refusedAtRun(
        "fg_bad_ops",
        "      - compute: { column: x, type: bigint, expression: \"id + status\" }",
        "step '1-compute'",
        "operator + cannot combine Long and String");
    refusedAtRun(
        "fg_escape",
        "      - filter: \"java.lang.System.exit(3) == null\"",
        "step '1-filter'",
        "member access is not allowed");
    refusedAtRun(
        "fg_unknown_fn",
        "      - filter: \"getClass() == null\"",
        "step '1-filter'",
        "call of 'getClass'");
  }

  @Test
  void aDeltaLoadWhoseFlowgraphDropsTheDeltaColumnIsRefusedBeforeAnythingMoves() throws Exception {
    FlowgraphLoad load =
        new FlowgraphLoad(
            "fg_delta_drop",
            pg,
            customFlowgraph("fg_delta_drop", "      - drop: [id]"),
            null,
            "delta: { mode: append, column: id }, target: { connection: dst, table: fg_delta_drop, writeMode: merge }");
    assertThat(load.imported.err, load.imported.exitCode, equalTo(0));

    CliRun r = CliRun.metaload(load.run("--runner=DirectRunner"));

    assertThat(r.err, r.exitCode, equalTo(2));
    assertThat(
        r.err,
        allOf(
            containsString("load 'fg_delta_drop': field 'flowgraph'"),
            containsString("does not carry the delta column id")));
    assertThat("target created", TestDatabases.tableExists(target, load.table), equalTo(false));
  }

  private void refusedAtImport(String name, String step, String... expected) throws Exception {
    CliRun r = new FlowgraphLoad(name, pg, customFlowgraph(name, step), null).imported;
    assertThat(r.err, r.exitCode, equalTo(2));
    for (String e : expected) {
      assertThat(r.err, containsString(e));
    }
  }

  private void refusedAtRun(String name, String step, String... expected) throws Exception {
    FlowgraphLoad load = new FlowgraphLoad(name, pg, customFlowgraph(name, step), null);
    assertThat(load.imported.err, load.imported.exitCode, equalTo(0));
    CliRun r = CliRun.metaload(load.run("--runner=DirectRunner"));
    assertThat(r.err, r.exitCode, equalTo(2));
    for (String e : expected) {
      assertThat(r.err, containsString(e));
    }
    assertThat(r.err, containsString(name));
    assertThat("target created", TestDatabases.tableExists(target, load.table), equalTo(false));
    CliRun validated =
        CliRun.metaload("validate", "--config", load.config.toString(), "--load", name);
    assertThat(validated.out + validated.err, validated.exitCode, equalTo(2));
  }

  private static String customFlowgraph(String name, String step) {
    return "flowgraphs:\n  - name: " + name + "_clean\n    steps:\n" + step + "\n";
  }

  /** The target rows, computed here from the rules the flowgraph states. */
  private static List<String> expectedRows() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SALT.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    List<String> out = new ArrayList<>();
    for (int n = 1; n <= ROWS; n++) {
      if (n % 701 == 0 || n % 10 == 0 || n % 499 == 0) {
        continue;
      }
      BigDecimal amount =
          new BigDecimal(n).multiply(new BigDecimal("1.5")).setScale(2, RoundingMode.HALF_UP);
      String email =
          HexFormat.of()
              .formatHex(
                  mac.doFinal(("user" + n + "@example.com").getBytes(StandardCharsets.UTF_8)));
      out.add(
          n
              + "|C"
              + n
              + "|"
              + amount.toPlainString()
              + "|open|"
              + email
              + "|"
              + amount
                  .multiply(new BigDecimal("1.19"))
                  .setScale(2, RoundingMode.HALF_UP)
                  .toPlainString());
    }
    return out;
  }

  private static List<String> rows(ConnectionSpec spec, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = spec.open();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          Object v = rs.getObject(i);
          row.append(i == 1 ? "" : "|")
              .append(v instanceof BigDecimal ? ((BigDecimal) v).toPlainString() : v);
        }
        out.add(row.toString());
      }
    }
    return out;
  }

  /**
   * A load of {@code fg_orders} through a flowgraph into a fresh table {@code <name>} in the
   * PostgreSQL target.
   */
  private static final class FlowgraphLoad {
    final String name;
    final String table;
    final ConnectionSpec metadata;
    final Path config;
    final CliRun imported;

    FlowgraphLoad(String name, ConnectionSpec source, String flowgraphs, String maxRejects)
        throws Exception {
      this(
          name,
          source,
          flowgraphs,
          maxRejects,
          "target: { connection: dst, table: " + name.toLowerCase(Locale.ROOT) + " }");
    }

    /**
     * @param tail the definition's last fields, ending with {@code target: ...}
     */
    FlowgraphLoad(
        String name, ConnectionSpec source, String flowgraphs, String maxRejects, String tail)
        throws Exception {
      this.name = name;
      this.table = name.toLowerCase(Locale.ROOT);
      this.metadata = TestDatabases.freshPostgres("metaload_meta_" + name);
      TestDatabases.execute(target, "DROP TABLE IF EXISTS " + table);
      config = KillableLoad.writeConfig(dir, name, metadata, source, target);
      Path file = dir.resolve(name + "-loads.yaml");
      Files.writeString(
          file,
          flowgraphs
              + "loads:\n  - { name: "
              + name
              + ", source: { connection: src, table: fg_orders }, splitKey: id, "
              + "batchSize: 500, flowgraph: "
              + name
              + "_clean"
              + (maxRejects == null ? "" : ", maxRejects: " + maxRejects)
              + ", "
              + tail
              + " }\n");
      imported =
          CliRun.metaload("metadata", "import", "--config", config.toString(), file.toString());
    }

    String[] run(String... extra) {
      List<String> args =
          new ArrayList<>(List.of("run", "--config", config.toString(), "--load", name));
      args.addAll(List.of(extra));
      return args.toArray(String[]::new);
    }

    List<RunQueries.RunSummary> runs() {
      try (var store = MetadataStore.open(metadata)) {
        return store.status().runs(null, 10);
      }
    }
  }
}

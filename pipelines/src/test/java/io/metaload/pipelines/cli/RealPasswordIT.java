package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load that logs in with a real password: a role whose password the server stores as
 * scram-sha-256 and demands (a wrong or missing password is refused), used by the metadata store
 * and the source through {@code ${env:...}} and by the target through {@code ${file:...}}. The load
 * runs on the embedded Flink cluster and moves every source row, and afterwards the password is in
 * none of the files the commands wrote (their output and logs, the run's result file and HTML
 * report, the process's temporary files), in no column of any table of the metadata store or the
 * target, in no session's application name, and in none of the Flink job's files read while the job
 * runs: with {@code blob.offload.minsize: 0} every deployed vertex's serialized task information
 * (its operators and DoFns, with the connection specs) and the job information (with the pipeline
 * options as the job's global parameters) pass through the blob server's and the TaskManager's
 * files, which hold the password's reference but not its value.
 *
 * <p>PostgreSQL here trusts connections from 127.0.0.1, so the role needs its own {@code host all
 * metaload_scram 127.0.0.1/32 scram-sha-256} line above the trust lines of pg_hba.conf; {@code
 * .ci/run} adds it, and without it this test fails saying so.
 */
class RealPasswordIT {
  static final String ROLE = "metaload_scram";
  private static final String PASSWORD_VARIABLE = "METALOAD_SCRAM_TEST_PASSWORD";
  private static final String TABLE = "scram_orders";
  private static final String TARGET_DATABASE = "metaload_scram_dst";
  private static final String METADATA_DATABASE = "metaload_scram_meta";
  private static final int ROWS = 20_000;
  private static final int BATCH = 1_000;

  @TempDir Path dir;

  @Test
  void aLoadLoggingInWithAPasswordLeavesItInNoOutputFileTableOrFlinkJobFile() throws Exception {
    ConnectionSpec admin = TestDatabases.postgres("postgres");
    requireScramRule(admin);
    String password = randomPassword();
    TestDatabases.execute(
        admin,
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
            + ROLE
            + "') THEN CREATE ROLE "
            + ROLE
            + " LOGIN; END IF; END $$",
        "SET password_encryption = 'scram-sha-256'",
        "ALTER ROLE " + ROLE + " WITH LOGIN PASSWORD '" + password + "'");
    assertThat(
        "how the server stores the password",
        TestDatabases.strings(
            admin, "SELECT left(rolpassword, 14) FROM pg_authid WHERE rolname = '" + ROLE + "'"),
        equalTo(List.of("SCRAM-SHA-256$")));

    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS " + TABLE,
        "CREATE TABLE " + TABLE + " (id bigint PRIMARY KEY, note varchar(40) NOT NULL)",
        "INSERT INTO " + TABLE + " SELECT g, 'order ' || g FROM generate_series(1, " + ROWS + ") g",
        "GRANT USAGE ON SCHEMA public TO " + ROLE,
        "GRANT SELECT ON " + TABLE + " TO " + ROLE);
    ConnectionSpec target = TestDatabases.freshPostgres(TARGET_DATABASE);
    ConnectionSpec metadata = TestDatabases.freshPostgres(METADATA_DATABASE);
    TestDatabases.execute(
        admin,
        "ALTER DATABASE " + TARGET_DATABASE + " OWNER TO " + ROLE,
        "ALTER DATABASE " + METADATA_DATABASE + " OWNER TO " + ROLE);

    String wrong = refusal(source.url(), password + "x");
    assertThat(
        "the server let "
            + ROLE
            + " in with a wrong password: pg_hba.conf has its scram-sha-256 line but the server has "
            + "not read it yet; run SELECT pg_reload_conf()",
        wrong,
        notNullValue());
    assertThat("a wrong password fails authentication", wrong, startsWith("28P01"));
    assertThat("no password is refused too", refusal(source.url(), ""), notNullValue());
    assertThat("the password itself is accepted", refusal(source.url(), password), nullValue());

    Path out = Files.createDirectories(dir.resolve("out"));
    Path passwordFile = Files.createDirectories(dir.resolve("secrets")).resolve("password");
    Files.writeString(passwordFile, password + "\n");
    Path flink = Files.createDirectories(out.resolve("flink"));
    Path flinkConf = Files.createDirectories(out.resolve("flink-conf"));
    Files.writeString(
        flinkConf.resolve("flink-conf.yaml"),
        String.join(
            "\n",
            "blob.offload.minsize: 0",
            "io.tmp.dirs: " + flink,
            "process.working-dir: " + flink,
            ""));
    Path pauses = Files.createDirectories(out.resolve("pauses"));
    Path config = out.resolve("config.yaml");
    String fromEnvironment = "'${env:" + PASSWORD_VARIABLE + "}'";
    Files.writeString(
        config,
        String.join(
            "\n",
            "metadata: { url: '"
                + metadata.url()
                + "', user: "
                + ROLE
                + ", password: "
                + fromEnvironment
                + " }",
            "connections:",
            "  src: { url: '"
                + source.url()
                + "', user: "
                + ROLE
                + ", password: "
                + fromEnvironment
                + " }",
            "  dst: { url: '"
                + target.url()
                + "', user: "
                + ROLE
                + ", password: '${file:"
                + passwordFile
                + "}' }",
            ""));
    Path loads = out.resolve("loads.yaml");
    Files.writeString(
        loads,
        "loads:\n  - { name: "
            + TABLE
            + ", source: { connection: src, table: "
            + TABLE
            + " }, splitKey: id, "
            + "batchSize: "
            + BATCH
            + ", target: { connection: dst, table: "
            + TABLE
            + " } }\n");
    Map<String, String> environment = new HashMap<>();
    environment.put(PASSWORD_VARIABLE, password);
    environment.put(
        "JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + Files.createDirectories(out.resolve("tmp")));

    completed(
        out.resolve("import.log"),
        environment,
        "metadata",
        "import",
        "--config",
        config.toString(),
        loads.toString());

    Path resultFile = out.resolve("result.json");
    Map<String, String> pausing = new HashMap<>(environment);
    pausing.putAll(MetaloadProcess.pauseAt("batch-read", pauses, 0));
    String runOutput;
    try (MetaloadProcess launcher =
        MetaloadProcess.start(
            out.resolve("run.log"),
            pausing,
            "run",
            "--config",
            config.toString(),
            "--load",
            TABLE,
            "--result-file",
            resultFile.toString(),
            "--report-dir",
            out.resolve("reports").toString(),
            "--runner=FlinkRunner",
            "--parallelism=2",
            "--flinkConfDir=" + flinkConf)) {
      launcher.awaitPause(pauses, "batch-read");
      assertRunningJobHoldsReferencesOnly(flink, flinkConf, password);
      assertThat(
          "application names of the server's sessions",
          TestDatabases.strings(admin, "SELECT application_name FROM pg_stat_activity").stream()
              .filter(n -> n != null && n.contains(password))
              .collect(Collectors.toList()),
          empty());
      MetaloadProcess.proceed(pauses, "batch-read");
      int exit = launcher.await();
      runOutput = launcher.output();
      assertThat(runOutput, exit, equalTo(0));
    }
    assertThat("ran on the embedded Flink cluster", runOutput, containsString(" s on FlinkRunner"));
    long sourceRows = TestDatabases.count(source, TABLE);
    assertThat(sourceRows, equalTo((long) ROWS));
    assertThat("rows in the target", TestDatabases.count(target, TABLE), equalTo(sourceRows));
    TableComparison.assertSameRows(source, TABLE, target, TABLE, "id, note", "id");
    JsonNode result = new ObjectMapper().readTree(resultFile.toFile());
    JsonNode loaded = result.get("runs").get(0);
    assertThat(result.toString(), result.get("status").asText(), equalTo("SUCCEEDED"));
    assertThat(result.toString(), loaded.get("rows").asLong(), equalTo(sourceRows));
    assertThat(result.toString(), loaded.get("runner").asText(), equalTo("FlinkRunner"));
    assertThat("the run's report in " + result, loaded.get("report").isNull(), equalTo(false));
    Path report = Path.of(loaded.get("report").asText());
    assertThat("the HTML report " + report, Files.readString(report), containsString(TABLE));
    String runId = loaded.get("runId").asText();

    try (MetaloadProcess validate =
            MetaloadProcess.start(
                out.resolve("validate.log"),
                environment,
                "validate",
                "--config",
                config.toString());
        MetaloadProcess status =
            MetaloadProcess.start(
                out.resolve("status.log"),
                environment,
                "status",
                "--config",
                config.toString(),
                "--run",
                runId)) {
      int validated = validate.await();
      assertThat(validate.output(), validated, equalTo(0));
      assertThat(validate.output(), containsString("load " + TABLE + ": OK"));
      int statused = status.await();
      assertThat(status.output(), statused, equalTo(0));
      assertThat(status.output(), containsString("SUCCEEDED"));
    }

    List<String> metadataTables = assertNoColumnHolds(metadata, password);
    assertThat(
        "metadata store tables read",
        metadataTables,
        hasItems("load_definition", "load_run", "load_partition", "load_batch", "load_read_unit"));
    assertNoColumnHolds(target, password);

    List<Path> written = files(out);
    assertThat(
        "files read",
        written,
        hasItems(
            out.resolve("import.log"),
            out.resolve("run.log"),
            out.resolve("validate.log"),
            out.resolve("status.log"),
            resultFile,
            report));
    assertThat(
        "the search finds the password where it is", holds(passwordFile, password), equalTo(true));
    assertThat(
        "files of the run holding the password",
        written.stream().filter(f -> holds(f, password)).collect(Collectors.toList()),
        empty());
  }

  /**
   * Reads the embedded Flink cluster's files while the job runs (paused in a reader): some hold the
   * source's password reference (the serialized task information of the reading vertex) and the
   * pipeline options (the job information's global parameters, and each operator's options); none
   * holds the password.
   */
  private static void assertRunningJobHoldsReferencesOnly(
      Path flink, Path flinkConf, String password) throws IOException {
    List<Path> files = files(flink);
    String unseen =
        "so this test does not see the job graph: Flink did not offload the job's and tasks' information to files under "
            + flink
            + " (blob.offload.minsize: 0 in "
            + flinkConf.resolve("flink-conf.yaml")
            + "); files there: "
            + files;
    assertThat(
        "files holding the password reference ${env:" + PASSWORD_VARIABLE + "}, " + unseen,
        files.stream().filter(f -> holds(f, PASSWORD_VARIABLE)).collect(Collectors.toList()),
        not(empty()));
    assertThat(
        "files holding the pipeline option --flinkConfDir=" + flinkConf + ", " + unseen,
        files.stream().filter(f -> holds(f, flinkConf.toString())).collect(Collectors.toList()),
        not(empty()));
    assertThat(
        "files of the running Flink job holding the password",
        files.stream().filter(f -> holds(f, password)).collect(Collectors.toList()),
        empty());
  }

  /**
   * Reads every value of every row of every table outside the system schemas; returns the tables'
   * names.
   */
  private static List<String> assertNoColumnHolds(ConnectionSpec database, String password)
      throws SQLException {
    List<String> tables = new ArrayList<>();
    List<String> holding = new ArrayList<>();
    try (Connection c = database.open()) {
      List<String[]> found = new ArrayList<>();
      try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          String schema = rs.getString("TABLE_SCHEM");
          if (!schema.equals("pg_catalog") && !schema.equals("information_schema")) {
            found.add(new String[] {schema, rs.getString("TABLE_NAME")});
          }
        }
      }
      for (String[] table : found) {
        tables.add(table[1]);
        String name = "\"" + table[0] + "\".\"" + table[1] + "\"";
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT * FROM " + name)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              Object value = rs.getObject(i);
              String text =
                  value instanceof byte[]
                      ? new String((byte[]) value, StandardCharsets.ISO_8859_1)
                      : String.valueOf(value);
              if (text.contains(password)) {
                holding.add(name + "." + rs.getMetaData().getColumnName(i));
              }
            }
          }
        }
      }
    }
    assertThat(database.url() + ": columns holding the password", holding, empty());
    return tables;
  }

  /**
   * Whether the file holds {@code text} in UTF-8 (which Java serialization also writes for ASCII)
   * or UTF-16.
   */
  private static boolean holds(Path file, String text) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException gone) {
      return false;
    }
    return indexOf(content, text.getBytes(StandardCharsets.UTF_8)) >= 0
        || indexOf(content, text.getBytes(StandardCharsets.UTF_16LE)) >= 0
        || indexOf(content, text.getBytes(StandardCharsets.UTF_16BE)) >= 0;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * The regular files under {@code root}; files and directories that vanish while it walks (a
   * running Flink job's) are passed over.
   */
  private static List<Path> files(Path root) throws IOException {
    List<Path> out = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (attributes.isRegularFile()) {
              out.add(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
    return out;
  }

  private static void completed(Path log, Map<String, String> environment, String... args)
      throws Exception {
    try (MetaloadProcess process = MetaloadProcess.start(log, environment, args)) {
      int exit = process.await();
      assertThat(process.output(), exit, equalTo(0));
    }
  }

  /** Null when {@code password} logs {@link #ROLE} in, else the refusal's SQL state and message. */
  private static String refusal(String url, String password) {
    try (Connection c = DriverManager.getConnection(url, ROLE, password);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_user")) {
      rs.next();
      assertThat(rs.getString(1), equalTo(ROLE));
      return null;
    } catch (SQLException e) {
      return e.getSQLState() + " " + e.getMessage();
    }
  }

  private static String randomPassword() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 24; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /**
   * Fails (or with {@code -Dmetaload.requireDatabases=false} skips) unless the pg_hba.conf line
   * that decides how {@link #ROLE} connects from 127.0.0.1 to each database this test uses asks for
   * a password (scram-sha-256, or md5, which does SCRAM for a SCRAM-stored password).
   */
  static void requireScramRule(ConnectionSpec admin) {
    String hbaFile = TestDatabases.strings(admin, "SHOW hba_file").get(0);
    List<String[]> rules = new ArrayList<>();
    try (Connection c = admin.open();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT line_number, "
                    + "array_to_string(database, ','), array_to_string(user_name, ','), address, netmask, auth_method, type FROM pg_hba_file_rules "
                    + "WHERE error IS NULL AND type LIKE 'host%' ORDER BY line_number")) {
      while (rs.next()) {
        rules.add(
            new String[] {
              rs.getString(1),
              rs.getString(2),
              rs.getString(3),
              rs.getString(4),
              rs.getString(5),
              rs.getString(6),
              rs.getString(7)
            });
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading pg_hba_file_rules: " + e.getMessage(), e);
    }
    for (String database : List.of("metaload_src", TARGET_DATABASE, METADATA_DATABASE)) {
      String[] deciding =
          rules.stream()
              .filter(
                  r -> matches(r[1], database) && matches(r[2], ROLE) && coversLoopback(r[3], r[4]))
              .findFirst()
              .orElse(null);
      if (deciding != null && (deciding[5].equals("scram-sha-256") || deciding[5].equals("md5"))) {
        continue;
      }
      String why =
          "PostgreSQL lets "
              + ROLE
              + " connect from 127.0.0.1 to "
              + database
              + " without a password ("
              + (deciding == null
                  ? "no line of " + hbaFile + " matches"
                  : hbaFile
                      + " line "
                      + deciding[0]
                      + ": "
                      + deciding[6]
                      + " "
                      + deciding[1]
                      + " "
                      + deciding[2]
                      + " "
                      + deciding[3]
                      + " "
                      + deciding[5])
              + "): add the lines 'host all "
              + ROLE
              + " 127.0.0.1/32 scram-sha-256' and 'host all "
              + ROLE
              + " ::1/128 scram-sha-256' above the trust lines of "
              + hbaFile
              + " and run SELECT pg_reload_conf() (.ci/run does)";
      if (Boolean.getBoolean("metaload.requireDatabases")) {
        Assertions.fail(why);
      }
      Assumptions.abort(why);
    }
  }

  private static boolean matches(String listed, String name) {
    List<String> names = List.of(listed.split(","));
    return names.contains("all") || names.contains(name);
  }

  private static boolean coversLoopback(String address, String netmask) {
    if (address == null
        || address.equals("all")
        || address.equals("samehost")
        || address.equals("samenet")) {
      return true;
    }
    try {
      byte[] a = InetAddress.getByName(address).getAddress();
      byte[] loopback = {127, 0, 0, 1};
      if (a.length != 4) {
        return false;
      }
      byte[] mask =
          netmask == null
              ? new byte[] {-1, -1, -1, -1}
              : InetAddress.getByName(netmask).getAddress();
      for (int i = 0; i < 4; i++) {
        if ((a[i] & mask[i]) != (loopback[i] & mask[i])) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConfigLoader;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunQueries;
import io.metaload.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One load {@code name} from {@code table} in a source into the same table name in a target, with a
 * fresh PostgreSQL metadata store and an empty target: what the kill, fence and live-source tests
 * start from, plus the checks they share.
 */
final class KillableLoad {
  final String name;
  final String table;
  final ConnectionSpec source;
  final ConnectionSpec target;
  final ConnectionSpec metadata;
  final Path config;

  KillableLoad(
      Path dir,
      String name,
      String table,
      ConnectionSpec source,
      ConnectionSpec target,
      int batchSize)
      throws IOException {
    this(
        dir,
        name,
        table,
        source,
        target,
        batchSize,
        TestDatabases.freshPostgres("metaload_meta_" + name));
  }

  /**
   * With the metadata store in {@code metadata}, e.g. the target's own database (emptied of
   * metadata tables first).
   */
  KillableLoad(
      Path dir,
      String name,
      String table,
      ConnectionSpec source,
      ConnectionSpec target,
      int batchSize,
      ConnectionSpec metadata)
      throws IOException {
    this.name = name;
    this.table = table;
    this.source = source;
    this.target = target;
    this.metadata = metadata;
    if (metadata.url().equals(target.url())) {
      TestDatabases.execute(
          metadata,
          "DROP TABLE IF EXISTS load_definition, load_run, load_partition, load_batch, load_reject, "
              + "load_watermark, load_validation, load_lock, load_read_unit, flowgraph_definition, load_contract, load_run_ids, "
              + "metaload_schema_history");
    }
    TestDatabases.execute(target, "DROP TABLE IF EXISTS " + table);
    for (String t : leftovers()) {
      TestDatabases.execute(target, "DROP TABLE IF EXISTS " + t);
    }
    if (TestDatabases.tableExists(target, "metaload_publication")) {
      TestDatabases.execute(
          target, "DELETE FROM metaload_publication WHERE load_name = '" + name + "'");
    }
    config = writeConfig(dir, name, metadata, source, target);
    Path loads = dir.resolve(name + "-loads.yaml");
    Files.writeString(
        loads,
        "loads:\n  - { name: "
            + name
            + ", source: { connection: src, table: "
            + table
            + " }, splitKey: id, batchSize: "
            + batchSize
            + ", target: { connection: dst, table: "
            + table
            + " } }\n");
    CliRun imported =
        CliRun.metaload("metadata", "import", "--config", config.toString(), loads.toString());
    assertThat(imported.err, imported.exitCode, equalTo(0));
  }

  /**
   * Imports this load's definition again with {@code fields} added (YAML flow mapping entries such
   * as {@code "sla: 2s"}).
   */
  void redefine(String fields) throws IOException {
    String yaml = Files.readString(loadsFile()).replace(", target:", ", " + fields + ", target:");
    Path file = config.resolveSibling(name + "-loads-redefined.yaml");
    Files.writeString(file, yaml);
    CliRun imported =
        CliRun.metaload("metadata", "import", "--config", config.toString(), file.toString());
    assertThat(imported.err, imported.exitCode, equalTo(0));
  }

  private Path loadsFile() {
    return config.resolveSibling(name + "-loads.yaml");
  }

  /** Adds a line to the config file, e.g. a {@code publish:} section. */
  void appendConfig(String line) throws IOException {
    Files.writeString(config, line + "\n", StandardOpenOption.APPEND);
  }

  String[] run(String... extra) {
    List<String> args =
        new ArrayList<>(List.of("run", "--config", config.toString(), "--load", name));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  List<RunQueries.RunSummary> runs() {
    try (MetadataStore store =
        MetadataStore.open(ConfigLoader.fromSystemEnvironment().load(config).metadata())) {
      return store.status().runs(null, 100);
    }
  }

  /** Staging, ledger and retired tables of this load left in the target. */
  List<String> leftovers() {
    boolean maria = target.url().startsWith("jdbc:mariadb:");
    String sql =
        maria
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE '"
                + table
                + "\\_ml\\_%'"
            : "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE '"
                + table
                + "\\_ml\\_%'";
    return strings(target, sql);
  }

  /**
   * This load's rows in the target's publication log, as {@code run_id:state}; none when the
   * catalog has no publication log yet. Any other failure to read it fails the test.
   */
  List<String> publications() {
    if (!TestDatabases.tableExists(target, "metaload_publication")) {
      return List.of();
    }
    return strings(
        target,
        "SELECT CONCAT(run_id, ':', state) FROM metaload_publication WHERE target_table = '"
            + table
            + "' AND load_name = '"
            + name
            + "'");
  }

  /** Sum of rows written in the protocol of run {@code runId}. */
  long protocolRows(long runId) {
    List<String> rows =
        strings(
            metadata,
            "SELECT COALESCE(SUM(rows_written), 0) FROM load_batch WHERE run_id = " + runId);
    return Long.parseLong(rows.get(0));
  }

  static List<String> strings(ConnectionSpec spec, String sql) {
    return TestDatabases.strings(spec, sql);
  }

  /**
   * Writes {@code <name>-config.yaml}: the metadata store, connections {@code src} and {@code dst},
   * and fast retries.
   */
  static Path writeConfig(
      Path dir, String name, ConnectionSpec metadata, ConnectionSpec source, ConnectionSpec target)
      throws IOException {
    Path config = dir.resolve(name + "-config.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "metadata: { url: '" + metadata.url() + "', user: postgres }",
            "connections:",
            "  src: { url: '" + source.url() + "', user: " + source.user() + " }",
            "  dst: { url: '" + target.url() + "', user: " + target.user() + " }",
            "retry: { maxAttempts: 3, initialBackoffMillis: 100, maxBackoffMillis: 500 }",
            ""));
    return config;
  }
}

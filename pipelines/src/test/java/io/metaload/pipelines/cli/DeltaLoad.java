package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A delta load {@code name} of one source table into the same table name in a PostgreSQL target,
 * with a fresh metadata store: writes the config and the definition, runs it in this JVM, and reads
 * what it published.
 */
final class DeltaLoad {
  final String name;
  final String table;
  final ConnectionSpec source;
  final ConnectionSpec target;
  final ConnectionSpec metadata;
  final Path config;

  DeltaLoad(
      Path dir,
      String name,
      String table,
      ConnectionSpec source,
      ConnectionSpec target,
      String delta,
      String writeMode)
      throws IOException {
    this(dir, name, name, table, source, target, delta, writeMode);
    TestDatabases.execute(target, "DROP TABLE IF EXISTS " + table);
    if (TestDatabases.tableExists(target, "metaload_publication")) {
      TestDatabases.execute(
          target, "DELETE FROM metaload_publication WHERE load_name = '" + name + "'");
    }
  }

  /**
   * Load {@code name} defined in a metadata store of its own, {@code store}, leaving the target as
   * it is: a second launcher's view of a load another store also runs.
   */
  DeltaLoad(
      Path dir,
      String store,
      String name,
      String table,
      ConnectionSpec source,
      ConnectionSpec target,
      String delta,
      String writeMode)
      throws IOException {
    this.name = name;
    this.table = table;
    this.source = source;
    this.target = target;
    this.metadata = TestDatabases.freshPostgres("metaload_meta_" + store.replace('-', '_'));
    config = KillableLoad.writeConfig(dir, store, metadata, source, target);
    Path loads = dir.resolve(store + "-loads.yaml");
    Files.writeString(
        loads,
        "loads:\n  - { name: "
            + name
            + ", source: { connection: src, table: "
            + table
            + " }, splitKey: id, "
            + "delta: "
            + delta
            + ", batchSize: 200, target: { connection: dst, table: "
            + table
            + ", writeMode: "
            + writeMode
            + " } }\n");
    CliRun imported =
        CliRun.metaload("metadata", "import", "--config", config.toString(), loads.toString());
    assertThat(imported.err, imported.exitCode, equalTo(0));
  }

  String[] args(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("run", "--config", config.toString(), "--load", name, "--parallelism=2"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /** Runs the load in this JVM and asserts it succeeded. */
  CliRun runOk(String... extra) {
    CliRun r = CliRun.metaload(args(extra));
    assertThat(r.err, r.exitCode, equalTo(0));
    return r;
  }

  /** The watermark {@code load_watermark} holds, or null. */
  String watermark() {
    List<String> w =
        TestDatabases.strings(
            metadata, "SELECT watermark FROM load_watermark WHERE load_name = '" + name + "'");
    return w.isEmpty() ? null : w.get(0);
  }

  /** This load's watermarks in the target's publication log, oldest first. */
  List<String> publishedWatermarks() {
    return TestDatabases.strings(
        target,
        "SELECT watermark FROM metaload_publication WHERE load_name = '" + name + "' ORDER BY seq");
  }

  /** Rows written by the latest run. */
  long lastRunRows() {
    return Long.parseLong(
        TestDatabases.strings(
                metadata,
                "SELECT rows_written FROM load_run WHERE load_name = '"
                    + name
                    + "' ORDER BY run_id DESC")
            .get(0));
  }

  long targetRowsWithIds(List<Long> ids) {
    String in = ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    return Long.parseLong(
        TestDatabases.strings(target, "SELECT COUNT(*) FROM " + table + " WHERE id IN (" + in + ")")
            .get(0));
  }
}

package io.metaload.pipelines.cli;

import io.metaload.metadata.config.ConfigLoader;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.yaml.LoadDefinitionsYaml;
import io.metaload.pipelines.LoadRunner;
import io.metaload.pipelines.RunReport;
import io.metaload.pipelines.quickstart.SampleSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code metaload quickstart}: creates an H2 source of sample orders, writes a config and a load
 * definition next to it, imports the definition and runs the load on the default runner.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description =
        "Creates a sample H2 source, loads it into an H2 target on the default runner and prints a summary.")
final class QuickstartCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--dir",
      defaultValue = "quickstart-data",
      description = "Where the H2 files and config go (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(
      names = "--rows",
      defaultValue = "1000000",
      description = "Rows in the sample source (default: ${DEFAULT-VALUE}).")
  long rows;

  @Unmatched List<String> beamArgs;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (rows < 1) {
      throw MetaloadException.badConfig("--rows must be at least 1");
    }
    Path home = dir.toAbsolutePath().normalize();
    Files.createDirectories(home);
    String source = "jdbc:h2:file:" + home.resolve("source") + ";AUTO_SERVER=TRUE";
    Path config = home.resolve("config.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "metadata:",
            "  url: jdbc:h2:file:" + home.resolve("metadata") + ";AUTO_SERVER=TRUE",
            "  user: sa",
            "connections:",
            "  sample:",
            "    url: " + source,
            "    user: sa",
            "  warehouse:",
            "    url: jdbc:h2:file:" + home.resolve("target") + ";AUTO_SERVER=TRUE",
            "    user: sa",
            ""));
    Path loads = home.resolve("loads.yaml");
    long quarter = Math.max(1, rows / 4);
    Files.writeString(
        loads,
        String.join(
            "\n",
            "loads:",
            "  - name: orders",
            "    source: { connection: sample, table: ORDERS }",
            "    splitKey: ID",
            "    partitioning: { strategy: range, boundaries: ["
                + (quarter + 1)
                + ", "
                + (2 * quarter + 1)
                + ", "
                + (3 * quarter + 1)
                + "] }",
            "    batchSize: 20000",
            "    target: { connection: warehouse, table: ORDERS_COPY, writeMode: swap }",
            "    flowgraph: identity",
            ""));

    out.printf("creating %,d sample rows in %s ...%n", rows, home.resolve("source.mv.db"));
    out.flush();
    try (Connection c = ConnectionSpec.of("sample", source, "sa", "").open()) {
      SampleSource.create(c, rows);
    } catch (SQLException e) {
      throw new MetaloadException(
          ExitCode.LOAD_FAILED, "cannot create the sample source: " + e.getMessage(), e);
    }
    MetaloadConfig cfg = ConfigLoader.fromSystemEnvironment().load(config);
    try (MetadataStore store = MetadataStore.open(cfg.metadata())) {
      store.definitions().upsertAll(LoadDefinitionsYaml.read(loads));
    }
    out.println("loading ORDERS -> ORDERS_COPY ...");
    out.flush();
    for (RunReport r : new LoadRunner(cfg).run(List.of("orders"), BeamArgs.parse(beamArgs))) {
      out.printf(
          "%nrun %d SUCCEEDED%n  rows        %,d%n  partitions  %d%n  batches     %d%n  seconds     %.1f%n  rows/s      %,.0f%n",
          r.runId(), r.rows(), r.partitions(), r.batches(), r.seconds(), r.rowsPerSecond());
    }
    out.printf("%nprotocol: bin/metaload status --config %s --run <id>%n", config);
    out.flush();
    return 0;
  }
}

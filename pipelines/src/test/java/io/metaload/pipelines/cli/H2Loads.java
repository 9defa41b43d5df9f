package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads defined in an H2 database with a fresh in-memory metadata store, run through the real
 * command line on the Direct runner.
 */
final class H2Loads {
  final Path config;

  /** Writes the config and imports {@code loadsYaml} (connection name {@code db}). */
  H2Loads(Path dir, ConnectionSpec db, String loadsYaml) throws IOException {
    config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        "metadata: { url: 'jdbc:h2:mem:meta_"
            + System.nanoTime()
            + ";DB_CLOSE_DELAY=-1', user: sa }\n"
            + "connections:\n  db: { url: '"
            + db.url()
            + "', user: sa }\n");
    Path loads = dir.resolve("loads.yaml");
    Files.writeString(loads, loadsYaml);
    CliRun imported =
        CliRun.metaload("metadata", "import", "--config", config.toString(), loads.toString());
    assertThat(imported.err, imported.exitCode, equalTo(0));
  }

  /** {@code metaload run --config … --runner=DirectRunner} with {@code args}. */
  CliRun run(String... args) {
    List<String> all =
        new ArrayList<>(List.of("run", "--config", config.toString(), "--runner=DirectRunner"));
    all.addAll(List.of(args));
    return CliRun.metaload(all.toArray(String[]::new));
  }

  CliRun status(long runId) {
    return CliRun.metaload("status", "--config", config.toString(), "--run", Long.toString(runId));
  }
}

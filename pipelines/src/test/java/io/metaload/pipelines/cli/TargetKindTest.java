package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target connection names its kind; one no target on the class path serves stops the run before
 * anything is recorded.
 */
class TargetKindTest {
  @TempDir Path dir;

  @Test
  void aTargetOfAKindNothingServesIsRefusedBeforeTheRunIsRecorded() throws Exception {
    ConnectionSpec db = TestDatabases.h2("target_kind_test");
    SampleTables.h2(db, "kind_source", 100);
    ConnectionSpec metadata = TestDatabases.h2("target_kind_meta_" + System.nanoTime());
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        "metadata: { url: '"
            + metadata.url()
            + "', user: sa }\nconnections:\n  src: { url: '"
            + db.url()
            + "', user: sa }\n  dst: { url: '"
            + db.url()
            + "', user: sa, kind: lake }\n");
    Path loads = dir.resolve("loads.yaml");
    Files.writeString(
        loads,
        "loads:\n  - { name: kinds, source: { connection: src, table: kind_source }, splitKey: id, "
            + "target: { connection: dst, table: kind_target } }\n");
    assertThat(
        CliRun.metaload("metadata", "import", "--config", config.toString(), loads.toString())
            .exitCode,
        equalTo(0));

    CliRun run =
        CliRun.metaload(
            "run", "--config", config.toString(), "--load", "kinds", "--runner=DirectRunner");

    assertThat(run.err, run.exitCode, equalTo(2));
    assertThat(
        run.err,
        allOf(containsString("connection 'dst' is of kind 'lake'"), containsString("known: jdbc")));
    try (MetadataStore store = MetadataStore.open(metadata)) {
      assertThat(store.status().runs(null, 10), empty());
    }
    assertThat(TestDatabases.tableExists(db, "kind_target"), equalTo(false));
  }
}

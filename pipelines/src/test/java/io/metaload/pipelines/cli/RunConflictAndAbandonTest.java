package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConfigLoader;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunLock;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed run blocks new runs of its load until it is resumed or abandoned; a live run blocks a
 * second one. Both refusals exit with 5 and say what to do.
 */
class RunConflictAndAbandonTest {
  @TempDir Path dir;

  private final ConnectionSpec db = TestDatabases.h2("conflict_test");

  @Test
  void aFailedRunMustBeResumedOrAbandonedBeforeANewRun() throws IOException {
    SampleTables.h2(db, "conflict_source", 3_000);
    TestDatabases.execute(
        db,
        "DROP TABLE IF EXISTS conflict_target",
        "CREATE TABLE conflict_target (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, created_at TIMESTAMP(6) NOT NULL, "
            + "amount NUMERIC(12,2) NOT NULL, status VARCHAR(16) NOT NULL, country CHAR(2) NOT NULL, note VARCHAR(100) NOT NULL, "
            + "paid BOOLEAN NOT NULL, ship_date DATE)");
    Path config = config("conflict");
    assertThat(
        CliRun.metaload(
                "metadata",
                "import",
                "--config",
                config.toString(),
                loads("conflict_source", "conflict_target"))
            .exitCode,
        equalTo(0));

    CliRun failed =
        CliRun.metaload(
            "run", "--config", config.toString(), "--load", "orders", "--runner=DirectRunner");
    assertThat(failed.err, failed.exitCode, equalTo(6));
    assertThat(failed.err, containsString("NOTE"));
    assertThat(TestDatabases.count(db, "conflict_target"), equalTo(0L));

    CliRun refused =
        CliRun.metaload(
            "run", "--config", config.toString(), "--load", "orders", "--runner=DirectRunner");
    assertThat(refused.err, refused.exitCode, equalTo(5));
    assertThat(refused.err, containsString("has an unfinished run 1"));
    assertThat(refused.err, containsString("--resume"));
    assertThat(refused.err, containsString("metaload abandon"));

    String leftovers =
        "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'CONFLICT\\_TARGET\\_ML\\_%' ESCAPE '\\'";
    assertThat(
        "the failed run left staging and ledger",
        KillableLoad.strings(db, leftovers).size(),
        equalTo(2));
    CliRun abandoned = CliRun.metaload("abandon", "--config", config.toString(), "--run", "1");
    assertThat(abandoned.err, abandoned.exitCode, equalTo(0));
    assertThat(KillableLoad.strings(db, leftovers), equalTo(List.of()));
    assertThat(
        CliRun.metaload("status", "--config", config.toString(), "--run", "1").out,
        containsString("ABANDONED"));

    TestDatabases.execute(db, "ALTER TABLE conflict_target ALTER COLUMN note SET NULL");
    CliRun fresh =
        CliRun.metaload(
            "run", "--config", config.toString(), "--load", "orders", "--runner=DirectRunner");
    assertThat(fresh.err, fresh.exitCode, equalTo(0));
    TableComparison.assertSameRows(
        db, "conflict_source", db, "conflict_target", "id, amount, note, ship_date", "id");
  }

  @Test
  void aSecondRunOfALoadThatIsRunningIsRefused() throws IOException {
    Path config = config("concurrent");
    assertThat(
        CliRun.metaload("metadata", "import", "--config", config.toString(), loads("a", "b"))
            .exitCode,
        equalTo(0));
    try (MetadataStore store =
        MetadataStore.open(ConfigLoader.fromSystemEnvironment().load(config).metadata())) {
      RunLock held = RunLock.acquire(store, "orders", 41);
      try {
        CliRun second =
            CliRun.metaload(
                "run", "--config", config.toString(), "--load", "orders", "--runner=DirectRunner");
        assertThat(second.err, second.exitCode, equalTo(5));
        assertThat(second.err, containsString("is being run by run 41"));
      } finally {
        held.release();
      }
    }
  }

  private Path config(String name) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(
        file,
        "metadata: { url: 'jdbc:h2:mem:"
            + name
            + "_meta_"
            + System.nanoTime()
            + ";DB_CLOSE_DELAY=-1', user: sa }\n"
            + "connections:\n  db: { url: '"
            + db.url()
            + "', user: sa }\n");
    return file;
  }

  private String loads(String source, String target) throws IOException {
    Path file = dir.resolve("loads.yaml");
    Files.writeString(
        file,
        "loads:\n  - { name: orders, source: { connection: db, table: "
            + source
            + " }, splitKey: id, batchSize: 200, "
            + "target: { connection: db, table: "
            + target
            + " } }\n");
    return file.toString();
  }
}

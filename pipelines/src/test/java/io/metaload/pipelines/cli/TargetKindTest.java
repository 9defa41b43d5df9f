package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.Connections;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunStatus;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TestDatabases;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target connection names its kind. One no target on the class path serves stops the run before
 * anything is recorded; one that is no database, registered from the tests by a services line only
 * ({@code io.metaload.testing.target.JsonLinesTargetKind}), carries a load through planning, the
 * pipeline, validation, the fenced publication and clean-up like the built-in one.
 */
class TargetKindTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @TempDir Path dir;

  @Test
  void aTargetOfAKindNothingServesIsRefusedBeforeTheRunIsRecorded() throws Exception {
    ConnectionSpec db = TestDatabases.h2("target_kind_test");
    SampleTables.h2(db, "kind_source", 100);
    ConnectionSpec metadata = TestDatabases.h2("target_kind_meta_" + System.nanoTime());
    Path config =
        configure(
            metadata,
            db,
            "{ url: '" + db.url() + "', user: sa, kind: lake }",
            "{ name: kinds, source: { connection: src, table: kind_source }, splitKey: id, "
                + "target: { connection: dst, table: kind_target } }");

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

  @Test
  void aLoadIntoATargetKindFromTheClassPathPublishesEverySourceRowOnce() throws Exception {
    ConnectionSpec db = TestDatabases.h2("plug_in_kind_test");
    SampleTables.h2(db, "plug_source", 1200);
    ConnectionSpec metadata = TestDatabases.h2("plug_in_kind_meta_" + System.nanoTime());
    Path lake = dir.resolve("lake");
    Path config =
        configure(
            metadata,
            db,
            "{ url: 'file:" + lake + "', user: none, kind: jsonl }",
            "{ name: plug, source: { connection: src, table: plug_source }, splitKey: id, "
                + "partitioning: { strategy: range, boundaries: [\"400\", \"800\"] }, "
                + "target: { connection: dst, table: plug_target } }");

    CliRun run =
        CliRun.metaload(
            "run", "--config", config.toString(), "--load", "plug", "--runner=DirectRunner");

    assertThat(run.err, run.exitCode, equalTo(0));
    List<Path> published = files(lake.resolve("plug_target"), ".jsonl");
    assertThat(published, hasSize(1));
    Map<Long, BigDecimal> loaded = new HashMap<>();
    for (String line : Files.readAllLines(published.get(0), StandardCharsets.UTF_8)) {
      JsonNode row = JSON.readTree(line);
      BigDecimal before =
          loaded.put(row.get("ID").asLong(), row.get("AMOUNT").decimalValue().stripTrailingZeros());
      assertThat("row " + row + " is published once", before, equalTo(null));
    }
    assertThat(loaded, equalTo(sourceAmounts(db)));
    assertThat("staging and the prepared marker are cleaned up", files(lake, ""), hasSize(1));
    try (MetadataStore store = MetadataStore.open(metadata)) {
      var summary = store.status().runs(null, 1).get(0);
      assertThat(summary.status, equalTo(RunStatus.SUCCEEDED));
      assertThat(summary.rowsWritten, equalTo(1200L));
    }
    assertThat(files(lake.resolve("plug_target"), ".tmp"), empty());
  }

  private static Map<Long, BigDecimal> sourceAmounts(ConnectionSpec db) throws Exception {
    Map<Long, BigDecimal> out = new HashMap<>();
    try (Connection c = Connections.open(db, "source");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, amount FROM plug_source")) {
      while (rs.next()) {
        out.put(rs.getLong(1), rs.getBigDecimal(2).stripTrailingZeros());
      }
    }
    return out;
  }

  private static List<Path> files(Path dir, String suffix) throws Exception {
    try (Stream<Path> all = Files.list(dir)) {
      return all.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
    }
  }

  /**
   * Writes a config with connections {@code src} ({@code db}) and {@code dst}, and imports one
   * load.
   */
  private Path configure(ConnectionSpec metadata, ConnectionSpec db, String dst, String load)
      throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        "metadata: { url: '"
            + metadata.url()
            + "', user: sa }\nconnections:\n  src: { url: '"
            + db.url()
            + "', user: sa }\n  dst: "
            + dst
            + "\n");
    Path loads = dir.resolve("loads.yaml");
    Files.writeString(loads, "loads:\n  - " + load + "\n");
    CliRun imported =
        CliRun.metaload("metadata", "import", "--config", config.toString(), loads.toString());
    assertThat(imported.err, imported.exitCode, equalTo(0));
    return config;
  }
}

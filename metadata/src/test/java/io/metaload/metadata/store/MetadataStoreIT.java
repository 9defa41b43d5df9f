package io.metaload.metadata.store;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.flowgraph.FlowgraphDefinition;
import io.metaload.metadata.flowgraph.StepSpec;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The metadata store migrates and round-trips definitions on every supported database. */
class MetadataStoreIT {
  static Stream<Arguments> stores() {
    Supplier<ConnectionSpec> h2 = () -> TestDatabases.h2("metadata_store_it_" + System.nanoTime());
    Supplier<ConnectionSpec> pg = () -> TestDatabases.freshPostgres("metaload_meta_it");
    Supplier<ConnectionSpec> maria = () -> TestDatabases.freshMariadb("metaload_meta_it");
    return Stream.of(
        Arguments.of("h2", h2), Arguments.of("postgresql", pg), Arguments.of("mariadb", maria));
  }

  private static final List<LoadDefinition> DEFINITIONS =
      List.of(
          LoadDefinition.builder()
              .name("orders")
              .sourceConnection("src")
              .sourceTable("public.orders")
              .splitKey("id")
              .partitionStrategy(PartitionStrategy.LIST)
              .partitionColumn("region")
              .partitionValues(List.of("EU", "US"))
              .targetConnection("dwh")
              .targetTable("orders")
              .batchSize(1234)
              .build(),
          LoadDefinition.builder()
              .name("events")
              .sourceConnection("src")
              .sourceTable("events")
              .splitKey("day")
              .targetConnection("dwh")
              .targetTable("events")
              .build());

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aChangedFlowgraphGetsANewVersionAndTheSameStepsDoNot(
      String name, Supplier<ConnectionSpec> database) {
    com.fasterxml.jackson.databind.node.JsonNodeFactory json =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    FlowgraphDefinition v1 =
        FlowgraphDefinition.of(
            "clean", 0, List.of(StepSpec.of("filter", "1-filter", json.textNode("amount > 0"))));
    FlowgraphDefinition v2 =
        FlowgraphDefinition.of(
            "clean", 0, List.of(StepSpec.of("filter", "1-filter", json.textNode("amount > 10"))));
    try (MetadataStore store = MetadataStore.open(database.get())) {
      assertThat(store.flowgraphs().upsertAll(List.of(v1)), equalTo(1));
      assertThat(store.flowgraphs().upsertAll(List.of(v1)), equalTo(0));
      assertThat(store.flowgraphs().upsertAll(List.of(v2)), equalTo(1));
      assertThat(store.flowgraphs().get("clean"), equalTo(v2.withVersion(2)));
      assertThat(store.flowgraphs().findAllLatest(), equalTo(List.of(v2.withVersion(2))));
      assertThat(store.flowgraphs().get("identity").isIdentity(), equalTo(true));
      MetaloadException unknown =
          org.junit.jupiter.api.Assertions.assertThrows(
              MetaloadException.class, () -> store.flowgraphs().get("dirty"));
      assertThat(
          unknown.getMessage(),
          org.hamcrest.Matchers.containsString(
              "unknown flowgraph 'dirty' (known: [identity, clean]"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void importingTheSameDefinitionsTwiceChangesNothing(
      String name, Supplier<ConnectionSpec> database) {
    ConnectionSpec spec = database.get();
    try (MetadataStore store = MetadataStore.open(spec)) {
      DefinitionRepository.UpsertResult first = store.definitions().upsertAll(DEFINITIONS);
      assertThat(first.inserted, equalTo(2));
      DefinitionRepository.UpsertResult second = store.definitions().upsertAll(DEFINITIONS);
      assertThat(second.unchanged, equalTo(2));
      assertThat(second.inserted + second.updated, equalTo(0));
      assertThat(
          store.definitions().findAll(), equalTo(List.of(DEFINITIONS.get(1), DEFINITIONS.get(0))));

      LoadDefinition changed = DEFINITIONS.get(0).toBuilder().batchSize(99).build();
      assertThat(store.definitions().upsertAll(List.of(changed)).updated, equalTo(1));
      assertThat(store.definitions().get("orders"), equalTo(changed));
    }
    try (MetadataStore reopened = MetadataStore.open(spec)) {
      assertThat(reopened.definitions().findAll().size(), equalTo(2));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aStoreMissingTheNewestMigrationIsMigratedOnOpen(
      String name, Supplier<ConnectionSpec> database) throws Exception {
    ConnectionSpec spec = database.get();
    try (MetadataStore store = MetadataStore.open(spec);
        Connection c = store.connection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE load_run_ids");
      s.execute(
          "DELETE FROM "
              + history(name)
              + " WHERE "
              + quote(name, "version")
              + " = '"
              + MetadataStore.SCHEMA_VERSION
              + "'");
    }
    try (MetadataStore reopened = MetadataStore.open(spec);
        Connection c = reopened.connection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM "
                    + history(name)
                    + " WHERE "
                    + quote(name, "version")
                    + " = '"
                    + MetadataStore.SCHEMA_VERSION
                    + "' AND "
                    + quote(name, "success")
                    + " = "
                    + (name.equals("mariadb") ? "1" : "TRUE"))) {
      rs.next();
      assertThat(rs.getInt(1), equalTo(1));
      assertThat(reopened.definitions().findAll().size(), equalTo(0));
    }
  }

  private static String history(String database) {
    return quote(database, "metaload_schema_history");
  }

  private static String quote(String database, String name) {
    return database.equals("mariadb") ? "`" + name + "`" : "\"" + name + "\"";
  }

  @org.junit.jupiter.api.Test
  void theSchemaVersionIsTheNewestBundledMigration() throws Exception {
    Path dir = Path.of("src/main/resources/db/migration");
    try (Stream<Path> files = Files.list(dir)) {
      int newest =
          files
              .map(f -> f.getFileName().toString())
              .filter(f -> f.matches("V\\d+__.*\\.sql"))
              .mapToInt(f -> Integer.parseInt(f.substring(1, f.indexOf("__"))))
              .max()
              .orElseThrow();
      assertThat(newest, equalTo(MetadataStore.SCHEMA_VERSION));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void anUnknownLoadNameIsABadUsageListingTheKnownOnes(
      String name, Supplier<ConnectionSpec> database) {
    ConnectionSpec spec = database.get();
    try (MetadataStore store = MetadataStore.open(spec)) {
      store.definitions().upsertAll(DEFINITIONS);
      MetaloadException e =
          assertThrows(MetaloadException.class, () -> store.definitions().get("ordres"));
      assertThat(e.exitCode(), equalTo(ExitCode.BAD_USAGE));
      assertThat(e.getMessage(), containsString("unknown load 'ordres'"));
      assertThat(e.getMessage(), containsString("orders"));
    }
  }
}

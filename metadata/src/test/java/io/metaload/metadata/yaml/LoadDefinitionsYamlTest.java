package io.metaload.metadata.yaml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.DeltaMode;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.schema.TableRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadDefinitionsYamlTest {
  @TempDir Path dir;

  static final String TWO_LOADS =
      String.join(
          "\n",
          "loads:",
          "  - name: orders",
          "    source: { connection: crm, table: public.orders }",
          "    splitKey: id",
          "    partitioning: { strategy: list, column: region, values: [EU, US] }",
          "    batchSize: 1000",
          "    target: { connection: dwh, table: orders, writeMode: swap }",
          "  - name: events",
          "    source: { connection: crm, table: events }",
          "    splitKey: created_on",
          "    partitioning: { strategy: range, boundaries: ['2024-01-01', '2025-01-01'] }",
          "    target: { connection: dwh, table: events }",
          "");

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("loads.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void readsDefinitionsWithDefaults() throws IOException {
    List<LoadDefinition> loads = LoadDefinitionsYaml.read(write(TWO_LOADS));
    assertThat(loads.size(), equalTo(2));
    LoadDefinition orders = loads.get(0);
    assertThat(orders.partitionStrategy(), equalTo(PartitionStrategy.LIST));
    assertThat(orders.partitionValues(), equalTo(List.of("EU", "US")));
    assertThat(orders.batchSize(), equalTo(1000));
    assertThat(loads.get(1).batchSize(), equalTo(LoadDefinition.DEFAULT_BATCH_SIZE));
    assertThat(loads.get(1).flowgraph(), equalTo("identity"));
  }

  @Test
  void exportThenImportGivesTheSameDefinitions() throws IOException {
    List<LoadDefinition> loads = LoadDefinitionsYaml.read(write(TWO_LOADS));
    Path exported = dir.resolve("exported.yaml");
    LoadDefinitionsYaml.write(loads, exported);
    assertThat(LoadDefinitionsYaml.read(exported), equalTo(loads));
  }

  @Test
  void aBadFieldRefusesTheWholeFileNamingFileLoadAndField() throws IOException {
    Path file = write(TWO_LOADS.replace("batchSize: 1000", "batchSize: 0"));
    MetaloadException e =
        assertThrows(MetaloadException.class, () -> LoadDefinitionsYaml.read(file));
    assertThat(e.getMessage(), containsString(file.toString()));
    assertThat(e.getMessage(), containsString("load 'orders'"));
    assertThat(e.getMessage(), containsString("'batchSize'"));
  }

  @Test
  void missingFieldsUnknownFieldsAndUnusableNamesAreRefused() throws IOException {
    assertThat(
        assertThrows(
                MetaloadException.class,
                () -> LoadDefinitionsYaml.read(write(TWO_LOADS.replace("    splitKey: id\n", ""))))
            .getMessage(),
        containsString("field 'splitKey' is missing"));
    assertThat(
        assertThrows(
                MetaloadException.class,
                () ->
                    LoadDefinitionsYaml.read(
                        write(TWO_LOADS.replace("splitKey: id", "splitkey: id"))))
            .getMessage(),
        containsString("unknown field 'splitkey'"));
    assertThat(
        assertThrows(
                MetaloadException.class,
                () ->
                    LoadDefinitionsYaml.read(
                        write(
                            TWO_LOADS.replace(
                                "table: events", "'table': \"events\\nDROP TABLE x\""))))
            .getMessage(),
        containsString("'source.table'"));
    assertThat(
        assertThrows(
                MetaloadException.class,
                () ->
                    LoadDefinitionsYaml.read(
                        write(TWO_LOADS.replace("table: events", "table: 'a.b.c'"))))
            .getMessage(),
        containsString("more than two parts"));
    assertThat(
        assertThrows(
                MetaloadException.class,
                () ->
                    LoadDefinitionsYaml.read(
                        write(TWO_LOADS.replace("strategy: list", "strategy: hash"))))
            .getMessage(),
        containsString("expected one of [none, list, range, day, month, source]"));
  }

  @Test
  void invalidYamlIsRefusedWithTheFileName() throws IOException {
    Path file = write("loads:\n  - name: [oops\n");
    MetaloadException e =
        assertThrows(MetaloadException.class, () -> LoadDefinitionsYaml.read(file));
    assertThat(e.getMessage(), containsString("not valid YAML"));
    assertThat(e.getMessage(), containsString(file.toString()));
  }

  @org.junit.jupiter.api.Test
  void calendarPartitionsReadAndExportTheirBounds() throws IOException {
    String yaml =
        "loads:\n  - { name: days, source: { connection: c, table: t }, splitKey: sold_on,\n"
            + "      partitioning: { strategy: day, from: '2024-01-01', to: '${param.to}' }, target: { connection: c, table: u } }\n";
    List<LoadDefinition> loads = LoadDefinitionsYaml.read(write(yaml));
    assertThat(loads.get(0).partitionValues(), equalTo(List.of("2024-01-01", "${param.to}")));
    Path exported = dir.resolve("exported-days.yaml");
    LoadDefinitionsYaml.write(loads, exported);
    assertThat(LoadDefinitionsYaml.read(exported), equalTo(loads));

    MetaloadException mixed =
        assertThrows(
            MetaloadException.class,
            () ->
                LoadDefinitionsYaml.read(
                    write(yaml.replace("from: '2024-01-01',", "values: [a],"))));
    assertThat(
        mixed.getMessage(),
        org.hamcrest.Matchers.containsString(
            "field 'partitioning.values' does not apply to strategy 'day'"));
  }

  @Test
  void deltaDefinitionsReadAndExportTheirWindowSettings() throws IOException {
    String yaml =
        "loads:\n  - { name: daily, source: { connection: c, table: t }, splitKey: id,\n"
            + "      delta: { mode: window-replace, column: event_at, lookback: 3d, fenceMargin: 2s, timeZone: Europe/Berlin },\n"
            + "      partitioning: { strategy: day }, target: { connection: c, table: u, writeMode: replace-window } }\n";
    List<LoadDefinition> loads = LoadDefinitionsYaml.read(write(yaml));
    LoadDefinition d = loads.get(0);
    assertThat(d.deltaMode(), equalTo(DeltaMode.WINDOW_REPLACE));
    assertThat(
        List.of(d.deltaColumn(), d.lookback(), d.fenceMargin(), d.fenceWait(), d.deltaTimeZone()),
        equalTo(List.of("event_at", "3d", "2s", "60s", "Europe/Berlin")));
    MetaloadException badZone =
        assertThrows(
            MetaloadException.class,
            () -> LoadDefinitionsYaml.read(write(yaml.replace("Europe/Berlin", "Europe/Bonn"))));
    assertThat(
        badZone.getMessage(),
        org.hamcrest.Matchers.containsString(
            "field 'delta.timeZone' is 'Europe/Bonn', which is not a time zone"));
    Path exported = dir.resolve("exported-delta.yaml");
    LoadDefinitionsYaml.write(loads, exported);
    assertThat(LoadDefinitionsYaml.read(exported), equalTo(loads));
  }

  @Test
  void aCompositeSplitKeyIsAListThatExportsAsAList() throws IOException {
    String yaml =
        "loads:\n  - { name: tenants, source: { connection: c, table: t }, splitKey: [tenant_id, id],\n"
            + "      target: { connection: c, table: u } }\n";
    List<LoadDefinition> loads = LoadDefinitionsYaml.read(write(yaml));
    assertThat(loads.get(0).splitKeyColumns(), equalTo(List.of("tenant_id", "id")));
    Path exported = dir.resolve("exported-composite.yaml");
    LoadDefinitionsYaml.write(loads, exported);
    assertThat(LoadDefinitionsYaml.read(exported), equalTo(loads));
    assertThat(
        assertThrows(
                MetaloadException.class,
                () -> LoadDefinitionsYaml.read(write(yaml.replace("[tenant_id, id]", "[id, ID]"))))
            .getMessage(),
        containsString("field 'splitKey' names a column twice"));
    assertThat(
        assertThrows(
                MetaloadException.class,
                () -> LoadDefinitionsYaml.read(write(yaml.replace("[tenant_id, id]", "[]"))))
            .getMessage(),
        containsString("field 'splitKey' must list one or more column names"));
  }

  @Test
  void sourcePartitioningTakesNothingElseAndExportsAsWritten() throws IOException {
    String yaml =
        "loads:\n  - { name: parts, source: { connection: c, table: t }, splitKey: id, partitioning: { strategy: source },\n"
            + "      target: { connection: c, table: u } }\n";
    List<LoadDefinition> loads = LoadDefinitionsYaml.read(write(yaml));
    assertThat(loads.get(0).partitionStrategy(), equalTo(PartitionStrategy.SOURCE));
    Path exported = dir.resolve("exported-source.yaml");
    LoadDefinitionsYaml.write(loads, exported);
    assertThat(LoadDefinitionsYaml.read(exported), equalTo(loads));
    assertThat(Files.readString(exported), containsString("strategy: source"));
    String[][] cases = {
      {
        "strategy: source",
        "strategy: source, values: [a]",
        "field 'partitioning.values' does not apply to strategy 'source'"
      },
      {
        "strategy: source",
        "strategy: source, column: region",
        "strategy 'source' takes no column, values or boundaries"
      },
      {
        "strategy: source",
        "strategy: source, from: 2024-01-01",
        "apply only to strategies 'day' and 'month'"
      },
    };
    for (String[] c : cases) {
      MetaloadException e =
          assertThrows(
              MetaloadException.class,
              () -> LoadDefinitionsYaml.read(write(yaml.replace(c[0], c[1]))),
              c[2]);
      assertThat(e.getMessage(), containsString("parts"));
      assertThat(e.getMessage(), containsString(c[2]));
    }
  }

  @Test
  void deltaDefinitionsThatCannotWorkAreRefusedNamingTheField() throws IOException {
    String ok =
        "loads:\n  - { name: daily, source: { connection: c, table: t }, splitKey: id,\n"
            + "      delta: { mode: watermark, column: updated_at, lookback: 2h }, target: { connection: c, table: u, writeMode: merge } }\n";
    LoadDefinitionsYaml.read(write(ok));
    String[][] cases = {
      {"column: updated_at, ", "", "field 'delta.column' is required"},
      {"writeMode: merge", "writeMode: swap", "field 'target.writeMode' must be 'merge'"},
      {"lookback: 2h", "lookback: soon", "field 'delta.lookback' 'soon' is not a duration"},
      {"mode: watermark", "mode: sideways", "field 'delta.mode' is 'sideways'"},
      {"lookback: 2h", "lookback: 2h, every: 1d", "unknown field 'delta.every'"},
      {"splitKey: id,", "splitKey: id, sla: whenever,", "field 'sla' 'whenever' is not a duration"},
      {"splitKey: id,", "splitKey: id, sla: 0s,", "field 'sla' must be longer than 0"},
      {
        "splitKey: id,",
        "splitKey: id, sla: 4h, slaAction: panic,",
        "field 'slaAction' must be 'warn' or 'fail', was 'panic'"
      },
      {
        "splitKey: id,",
        "splitKey: id, slaAction: fail,",
        "field 'slaAction' needs an 'sla' to act on"
      },
    };
    for (String[] c : cases) {
      MetaloadException e =
          assertThrows(
              MetaloadException.class,
              () -> LoadDefinitionsYaml.read(write(ok.replace(c[0], c[1]))),
              c[2]);
      assertThat(e.getMessage(), containsString("daily"));
      assertThat(e.getMessage(), containsString(c[2]));
    }
    MetaloadException full =
        assertThrows(
            MetaloadException.class,
            () ->
                LoadDefinitionsYaml.read(
                    write(
                        "loads:\n  - { name: f, source: { connection: c, table: t }, splitKey: id, target: { connection: c, table: u, writeMode: merge } }\n")));
    assertThat(
        full.getMessage(),
        containsString("a full load (delta mode 'full') is published by 'swap'"));
  }

  @Test
  void anyNameTheCatalogCanHoldIsAcceptedAndReadsBackFromItsText() {
    for (String written :
        List.of(
            "order-items",
            "Mixed Case",
            "we\"ird",
            "sales.\"q1.orders\"",
            "\"we\"\"ird\"",
            "Ünits",
            "events; DROP TABLE x")) {
      TableRef ref = TableRef.parse(written);
      assertThat(written, TableRef.parse(ref.toString()), equalTo(ref));
    }
    assertThat(TableRef.parse("sales.\"q1.orders\"").table(), equalTo("q1.orders"));
    assertThat(TableRef.parse("\"we\"\"ird\"").table(), equalTo("we\"ird"));
    assertThat(TableRef.parse("we\"ird").table(), equalTo("we\"ird"));
  }
}

package io.metaload.metadata.yaml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.flowgraph.FlowgraphDefinition;
import io.metaload.metadata.model.LoadDefinition;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowgraphsYamlTest {
  @TempDir Path dir;

  private Path file(String yaml) throws Exception {
    Path f = dir.resolve("defs.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void stepsKeepTheirOrderArgumentsAndNames() throws Exception {
    Path f =
        file(
            String.join(
                "\n",
                "flowgraphs:",
                "  - name: clean",
                "    steps:",
                "      - rename: { cust: customer_id }",
                "      - filter: \"amount > 0\"",
                "      - name: known-customer",
                "        require: { column: customer_id, notNull: true }",
                "loads:",
                "  - { name: orders, source: { connection: a, table: o }, splitKey: id, flowgraph: clean, maxRejects: { rows: 10, share: 1% },"
                    + " target: { connection: b, table: o } }",
                ""));

    List<FlowgraphDefinition> flowgraphs = FlowgraphsYaml.read(f);
    List<LoadDefinition> loads = LoadDefinitionsYaml.read(f);

    FlowgraphDefinition clean = flowgraphs.get(0);
    assertThat(clean.steps().get(0).type(), equalTo("rename"));
    assertThat(clean.steps().get(0).name(), equalTo("1-rename"));
    assertThat(clean.steps().get(0).arguments().get("cust").asText(), equalTo("customer_id"));
    assertThat(clean.steps().get(1).arguments().asText(), equalTo("amount > 0"));
    assertThat(clean.steps().get(2).name(), equalTo("known-customer"));
    assertThat(loads.get(0).flowgraph(), equalTo("clean"));
    assertThat(loads.get(0).maxRejects(), equalTo(10L));
    assertThat(loads.get(0).maxRejectShare(), equalTo(0.01));
  }

  @Test
  void exportedFlowgraphsReadBackTheSame() throws Exception {
    Path f =
        file(
            "flowgraphs:\n  - name: clean\n    steps:\n      - drop: [note]\n      - name: positive\n        filter: 'amount > 0'\n");
    List<FlowgraphDefinition> read = FlowgraphsYaml.read(f);
    StringWriter out = new StringWriter();
    LoadDefinitionsYaml.write(List.of(), read, out);
    assertThat(FlowgraphsYaml.read(file(out.toString())), equalTo(read));
  }

  @Test
  void malformedFlowgraphsAreRefusedWithTheirPlace() throws Exception {
    assertThat(
        refused("flowgraphs:\n  - name: f\n    steps:\n      - { rename: { a: b }, drop: [c] }\n"),
        containsString("flowgraph 'f': steps[0]: names two step types, 'rename' and 'drop'"));
    assertThat(
        refused("flowgraphs:\n  - name: identity\n    steps: []\n"),
        containsString("'identity' is built in"));
    assertThat(
        refused(
            "flowgraphs:\n  - name: f\n    steps:\n      - drop: [a]\n      - name: x\n        drop: [b]\n      - name: x\n"
                + "        drop: [c]\n"),
        containsString("step name 'x' is used twice"));
    assertThat(
        refused("flowgraphs:\n  - name: f\n    steps: {}\n"),
        containsString("field 'steps' must be a list"));
    assertThat(
        refused(
            "loads:\n  - { name: o, source: { connection: a, table: o }, splitKey: id, maxRejects: lots, target: { connection: b, "
                + "table: o } }\n"),
        containsString("field 'maxRejects' must be a whole number or a mapping"));
  }

  private String refused(String yaml) throws Exception {
    Path f = file(yaml);
    return assertThrows(
            MetaloadException.class,
            () -> {
              FlowgraphsYaml.read(f);
              LoadDefinitionsYaml.read(f);
            })
        .getMessage();
  }
}

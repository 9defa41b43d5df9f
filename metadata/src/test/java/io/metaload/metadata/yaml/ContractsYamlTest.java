package io.metaload.metadata.yaml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.contract.ContractDefinition;
import io.metaload.metadata.error.MetaloadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractsYamlTest {
  @TempDir Path dir;

  private Path file(String yaml) throws Exception {
    Path f = dir.resolve("contracts.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void theIssuesExampleContractIsReadWithItsSlaAndSurvivesTheStore() throws Exception {
    List<ContractDefinition> contracts =
        ContractsYaml.read(
            file(
                String.join(
                    "\n",
                    "contracts:",
                    "  - load: orders",
                    "    dataset: orders_global",
                    "    owner: checkout_team@company.com",
                    "    sla: 4h",
                    "    quality:",
                    "      - check: row_count > 0",
                    "      - check: null_share(user_id) < 0.01",
                    "    schema:",
                    "      - { name: order_id, type: string, primary_key: true }",
                    "      - { name: amount, type: 'decimal(10,2)', pii: false, constraints: [min_value(0)] }",
                    "")));

    assertThat(contracts.size(), equalTo(1));
    assertThat(contracts.get(0).sla(), equalTo("4h"));
    assertThat(
        ContractsYaml.fromJson(ContractsYaml.toJson(contracts.get(0)), 3),
        equalTo(contracts.get(0).withVersion(3)));
  }

  @Test
  void aContractWithoutSlaHasNone() throws Exception {
    assertThat(
        ContractsYaml.read(
                file("contracts:\n  - load: orders\n    quality:\n      - check: row_count > 0\n"))
            .get(0)
            .sla(),
        nullValue());
  }

  @Test
  void anSlaThatIsNotADurationIsRefusedNamingTheContract() throws Exception {
    Path f =
        file(
            "contracts:\n  - load: orders\n    sla: soon\n    quality:\n      - check: row_count > 0\n");
    MetaloadException e = assertThrows(MetaloadException.class, () -> ContractsYaml.read(f));
    assertThat(
        e.getMessage(), containsString("contract of load 'orders': sla 'soon' is not a duration"));
  }
}

package io.metaload.metadata.store;

import io.metaload.metadata.contract.ContractDefinition;
import io.metaload.metadata.yaml.ContractsYaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Versions of {@code load_contract}: an import that changes a load's contract adds a version; the
 * same contract changes nothing.
 */
public final class ContractRepository {
  private final VersionedBodies table;

  ContractRepository(MetadataStore store) {
    this.table = new VersionedBodies(store, "load_contract", "load_name", "body");
  }

  /** Adds a version for each changed contract, in one transaction; returns how many were added. */
  public int upsertAll(List<ContractDefinition> contracts) {
    return table.addChanged(
        contracts, ContractDefinition::load, ContractsYaml::toJson, "contracts");
  }

  /** The load's latest contract, if it has one. */
  public Optional<ContractDefinition> latest(String load) {
    return table
        .latest(load, "the contract of load '" + load + "'")
        .map(v -> ContractsYaml.fromJson(v.body, v.number));
  }

  /** The latest contract of every load that has one. */
  public List<ContractDefinition> findAllLatest() {
    List<ContractDefinition> out = new ArrayList<>();
    table.latestOfEach("contracts").forEach(v -> out.add(ContractsYaml.fromJson(v.body, v.number)));
    return out;
  }
}

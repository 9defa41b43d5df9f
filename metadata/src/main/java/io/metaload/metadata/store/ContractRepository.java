package io.metaload.metadata.store;

import io.metaload.metadata.contract.ContractDefinition;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.yaml.ContractsYaml;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Versions of {@code load_contract}: an import that changes a load's contract adds a version; the same contract changes nothing. */
public final class ContractRepository {
  private final MetadataStore store;

  ContractRepository(MetadataStore store) {
    this.store = store;
  }

  /** Adds a version for each changed contract, in one transaction; returns how many were added. */
  public int upsertAll(List<ContractDefinition> contracts) {
    int added = 0;
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try {
        for (ContractDefinition contract : contracts) {
          Optional<ContractDefinition> latest = latest(c, contract.load());
          if (latest.isPresent() && latest.get().sameAs(contract)) {
            continue;
          }
          try (PreparedStatement ps = c.prepareStatement(
              "INSERT INTO load_contract (load_name, version, body, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, contract.load());
            ps.setInt(2, latest.map(l -> l.version() + 1).orElse(1));
            ps.setBytes(3, ContractsYaml.toJson(contract).getBytes(StandardCharsets.UTF_8));
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.executeUpdate();
          }
          added++;
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("writing contracts to the metadata store", e, ExitCode.LOAD_FAILED);
    }
    return added;
  }

  /** The load's latest contract, if it has one. */
  public Optional<ContractDefinition> latest(String load) {
    try (Connection c = store.connection()) {
      return latest(c, load);
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading the contract of load '" + load + "'", e, ExitCode.LOAD_FAILED);
    }
  }

  /** The latest contract of every load that has one. */
  public List<ContractDefinition> findAllLatest() {
    Map<String, ContractDefinition> out = new LinkedHashMap<>();
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement("SELECT load_name, version, body FROM load_contract ORDER BY load_name, version");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), ContractsYaml.fromJson(new String(rs.getBytes(3), StandardCharsets.UTF_8), rs.getInt(2)));
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading contracts", e, ExitCode.LOAD_FAILED);
    }
    return new ArrayList<>(out.values());
  }

  private static Optional<ContractDefinition> latest(Connection c, String load) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT version, body FROM load_contract WHERE load_name = ? ORDER BY version DESC")) {
      ps.setMaxRows(1);
      ps.setString(1, load);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(ContractsYaml.fromJson(new String(rs.getBytes(2), StandardCharsets.UTF_8), rs.getInt(1)))
            : Optional.empty();
      }
    }
  }
}

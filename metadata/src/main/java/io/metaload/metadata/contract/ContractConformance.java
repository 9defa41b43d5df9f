package io.metaload.metadata.contract;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a contract still describes what a load delivers: every promised column exists in the
 * target's columns (the flowgraph's output) with a type of the promised family, the promised key is
 * the target's key, and every checked column exists. Checked when a run plans and by {@code
 * metaload validate}; a contract that no longer matches is exit 2.
 */
public final class ContractConformance {
  private ContractConformance() {}

  /**
   * Throws a bad-config error listing every difference between {@code contract} and {@code target}.
   */
  public static void check(ContractDefinition contract, TableSchema target) {
    List<String> problems = new ArrayList<>();
    List<String> key = new ArrayList<>();
    for (ContractColumn c : contract.schema()) {
      Column actual = target.column(c.name()).orElse(null);
      if (actual == null) {
        problems.add("column '" + c.name() + "' does not exist (columns: " + names(target) + ")");
        continue;
      }
      if (!actual.type().family().equals(c.family())) {
        problems.add(
            "column '"
                + c.name()
                + "' is "
                + actual.type().name().toLowerCase(Locale.ROOT)
                + ", the contract says "
                + c.type());
      }
      if (c.primaryKey()) {
        key.add(c.name());
      }
    }
    if (!key.isEmpty() && !target.primaryKeyIs(key)) {
      problems.add(
          "the contract's primary key " + key + " is not the target's " + target.primaryKey());
    }
    for (QualityCheck q : contract.checks()) {
      for (String column : q.columns()) {
        if (target.column(column).isEmpty()) {
          problems.add(
              "check '" + q.text() + "' reads column '" + column + "', which does not exist");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw MetaloadException.badConfig(
              "load '"
                  + contract.load()
                  + "': contract version "
                  + contract.version()
                  + " no longer matches "
                  + "what the load delivers: "
                  + String.join("; ", problems))
          .withLoad(contract.load());
    }
  }

  private static String names(TableSchema schema) {
    List<String> out = new ArrayList<>();
    schema.columns().forEach(c -> out.add(c.name()));
    return String.join(", ", out);
  }
}

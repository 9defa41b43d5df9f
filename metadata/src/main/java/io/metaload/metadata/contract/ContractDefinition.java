package io.metaload.metadata.contract;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.error.MetaloadException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * A data contract for one load's target: the columns it promises and the quality checks that
 * staging must pass before a run publishes. A run keeps the version it planned with.
 *
 * <pre>
 * contracts:
 *   - load: orders
 *     dataset: orders_global
 *     owner: checkout_team@company.com
 *     sla: 4h
 *     quality:
 *       - check: row_count &gt; 0
 *       - check: null_share(user_id) &lt; 0.01
 *     schema:
 *       - { name: order_id, type: string, primary_key: true }
 *       - { name: amount, type: decimal(10,2), pii: false, constraints: [min_value(0)] }
 * </pre>
 */
@AutoValue
public abstract class ContractDefinition implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The load whose target the contract governs. */
  public abstract String load();

  @Nullable
  public abstract String dataset();

  @Nullable
  public abstract String owner();

  /** 1 for the first import, one more for each import that changed it; 0 before it is stored. */
  public abstract int version();

  /** The quality checks as written. */
  public abstract List<String> quality();

  public abstract List<ContractColumn> schema();

  /**
   * How long a run of the load may take (a duration such as {@code 4h}); it applies when the load's
   * own definition sets no {@code sla}, with the same warnings and states.
   */
  @Nullable
  public abstract String sla();

  public static ContractDefinition of(
      String load,
      @Nullable String dataset,
      @Nullable String owner,
      int version,
      List<String> quality,
      List<ContractColumn> schema) {
    return of(load, dataset, owner, version, quality, schema, null);
  }

  public static ContractDefinition of(
      String load,
      @Nullable String dataset,
      @Nullable String owner,
      int version,
      List<String> quality,
      List<ContractColumn> schema,
      @Nullable String sla) {
    return new AutoValue_ContractDefinition(
        load, dataset, owner, version, List.copyOf(quality), List.copyOf(schema), sla);
  }

  public ContractDefinition withVersion(int version) {
    return of(load(), dataset(), owner(), version, quality(), schema(), sla());
  }

  /** Same content, whatever the versions. */
  public boolean sameAs(ContractDefinition other) {
    return withVersion(0).equals(other.withVersion(0));
  }

  /**
   * Every check staging must pass: the quality list, then the schema's nullability and constraints.
   */
  public List<QualityCheck> checks() {
    String where = "contract of load '" + load() + "'";
    List<QualityCheck> out = new ArrayList<>();
    for (String q : quality()) {
      out.add(QualityCheck.parse(where, q));
    }
    for (ContractColumn c : schema()) {
      if (!c.nullable()) {
        out.add(QualityCheck.parse(where, "null_share(" + c.name() + ") <= 0"));
      }
      for (String constraint : c.constraints()) {
        String k = constraint.trim();
        Matcher m = Pattern.compile("(min_value|max_value|accepted_values)\\((.*)\\)").matcher(k);
        if (!m.matches()) {
          throw MetaloadException.badConfig(
              where
                  + ": column '"
                  + c.name()
                  + "': constraint '"
                  + k
                  + "' is not one of min_value(v), max_value(v), accepted_values([a, b])");
        }
        switch (m.group(1)) {
          case "min_value":
            out.add(QualityCheck.parse(where, "min(" + c.name() + ") >= " + m.group(2)));
            break;
          case "max_value":
            out.add(QualityCheck.parse(where, "max(" + c.name() + ") <= " + m.group(2)));
            break;
          default:
            out.add(
                QualityCheck.parse(where, "accepted_values(" + c.name() + ", " + m.group(2) + ")"));
        }
      }
    }
    return out;
  }
}

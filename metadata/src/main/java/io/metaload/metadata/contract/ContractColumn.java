package io.metaload.metadata.contract;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * A column a data contract promises: its name, a type family, key and nullability, PII, and value
 * constraints.
 */
@AutoValue
public abstract class ContractColumn implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract String name();

  /** As written: {@code string}, {@code integer}, {@code decimal(10,2)}, {@code date}, ... */
  public abstract String type();

  public abstract boolean primaryKey();

  /** False promises no NULL (checked on staging); true or unset promises nothing. */
  public abstract boolean nullable();

  public abstract boolean pii();

  /** {@code min_value(0)}, {@code max_value(100)}, {@code accepted_values([a, b])}. */
  public abstract List<String> constraints();

  public static ContractColumn of(
      String name,
      String type,
      boolean primaryKey,
      boolean nullable,
      boolean pii,
      List<String> constraints) {
    return new AutoValue_ContractColumn(
        name, type, primaryKey, nullable, pii, List.copyOf(constraints));
  }

  /**
   * The column type family ({@code ColumnType.family()}) the type stands for, or null when unknown.
   */
  public String family() {
    String t = type().toLowerCase(Locale.ROOT).replaceAll("\\(.*", "").trim();
    switch (t) {
      case "string":
      case "text":
      case "varchar":
      case "char":
      case "json":
        return "text";
      case "integer":
      case "int":
      case "bigint":
      case "smallint":
      case "long":
      case "decimal":
      case "numeric":
      case "double":
      case "float":
      case "number":
      case "real":
        return "number";
      case "date":
      case "timestamp":
      case "timestamptz":
      case "datetime":
        return "temporal";
      case "boolean":
      case "bool":
        return "boolean";
      case "uuid":
        return "uuid";
      case "time":
        return "time";
      case "binary":
      case "bytes":
        return "binary";
      default:
        return null;
    }
  }
}

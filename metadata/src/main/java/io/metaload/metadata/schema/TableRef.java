package io.metaload.metadata.schema;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.error.MetaloadException;
import java.io.Serializable;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * A validated table name, optionally schema-qualified ({@code schema.table}). Only plain
 * identifiers are accepted, so names from metadata can always be quoted safely.
 */
@AutoValue
public abstract class TableRef implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

  @Nullable
  public abstract String schema();

  public abstract String table();

  /** Parses {@code table} or {@code schema.table}, refusing anything else. */
  public static TableRef parse(String qualified) {
    if (qualified == null || qualified.isBlank()) {
      throw MetaloadException.badConfig("a table name is empty");
    }
    String[] parts = qualified.split("\\.", -1);
    if (parts.length > 2) {
      throw MetaloadException.badConfig("table name '" + qualified + "' has more than two parts");
    }
    for (String part : parts) {
      checkIdentifier(part, "table name '" + qualified + "'");
    }
    return parts.length == 2 ? new AutoValue_TableRef(parts[0], parts[1]) : new AutoValue_TableRef(null, parts[0]);
  }

  public static TableRef of(@Nullable String schema, String table) {
    if (schema != null) {
      checkIdentifier(schema, "schema name");
    }
    checkIdentifier(table, "table name");
    return new AutoValue_TableRef(schema, table);
  }

  /** Checks that a name from metadata is a plain identifier. */
  public static String checkIdentifier(String name, String what) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw MetaloadException.badConfig(
          what + ": '" + name + "' is not a plain identifier (letters, digits, _ and $, at most 63 characters, not starting with a digit)");
    }
    return name;
  }

  /** The same schema with another table name. */
  public TableRef withTable(String table) {
    return of(schema(), table);
  }

  @Override
  public final String toString() {
    return schema() == null ? table() : schema() + "." + table();
  }
}

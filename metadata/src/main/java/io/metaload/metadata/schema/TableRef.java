package io.metaload.metadata.schema;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.error.MetaloadException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * A table name, optionally schema-qualified ({@code schema.table}). A part may be any name the
 * catalog can hold (mixed case, spaces, hyphens, quotes, non-ASCII); a part that contains a dot is
 * written in double quotes ({@code sales."q1.orders"}, a quote inside doubled). Every SQL statement
 * quotes names through the dialect, so no name is ever interpreted as SQL.
 */
@AutoValue
public abstract class TableRef implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MAX_NAME = 128;

  @Nullable
  public abstract String schema();

  public abstract String table();

  /**
   * A MariaDB partition (or subpartition) of the table, read with {@code PARTITION (p)}; null for
   * the whole table. Only a source's reads and counts name one.
   */
  @Nullable
  public abstract String partition();

  /**
   * Parses {@code table} or {@code schema.table} (parts with dots in double quotes), refusing
   * anything else.
   */
  public static TableRef parse(String qualified) {
    if (qualified == null || qualified.isBlank()) {
      throw MetaloadException.badConfig("a table name is empty");
    }
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (i <= qualified.length()) {
      if (i < qualified.length() && qualified.charAt(i) == '"') {
        StringBuilder part = new StringBuilder();
        int j = i + 1;
        while (true) {
          if (j >= qualified.length()) {
            throw MetaloadException.badConfig(
                "table name '" + qualified + "' has an unclosed double quote");
          }
          char c = qualified.charAt(j);
          if (c == '"' && j + 1 < qualified.length() && qualified.charAt(j + 1) == '"') {
            part.append('"');
            j += 2;
          } else if (c == '"') {
            j++;
            break;
          } else {
            part.append(c);
            j++;
          }
        }
        parts.add(part.toString());
        if (j < qualified.length() && qualified.charAt(j) != '.') {
          throw MetaloadException.badConfig(
              "table name '"
                  + qualified
                  + "': a quoted part must be followed by '.' or end the name");
        }
        i = j + 1;
      } else {
        int dot = qualified.indexOf('.', i);
        int end = dot < 0 ? qualified.length() : dot;
        parts.add(qualified.substring(i, end));
        i = end + 1;
      }
    }
    if (parts.size() > 2) {
      throw MetaloadException.badConfig(
          "table name '"
              + qualified
              + "' has more than two parts (write a part that contains a dot in "
              + "double quotes)");
    }
    for (String part : parts) {
      checkIdentifier(part, "table name '" + qualified + "'");
    }
    return parts.size() == 2
        ? new AutoValue_TableRef(parts.get(0), parts.get(1), null)
        : new AutoValue_TableRef(null, parts.get(0), null);
  }

  public static TableRef of(@Nullable String schema, String table) {
    if (schema != null) {
      checkIdentifier(schema, "schema name");
    }
    checkIdentifier(table, "table name");
    return new AutoValue_TableRef(schema, table, null);
  }

  /**
   * Checks that a name from metadata can name a table or column: 1-128 characters, no control
   * characters.
   */
  public static String checkIdentifier(String name, String what) {
    if (name == null
        || name.isEmpty()
        || name.length() > MAX_NAME
        || name.chars().anyMatch(Character::isISOControl)) {
      throw MetaloadException.badConfig(
          what
              + ": '"
              + name
              + "' is not a usable name (1-"
              + MAX_NAME
              + " characters, no control characters)");
    }
    return name;
  }

  /** This table's partition {@code name} (MariaDB), for reading that partition alone. */
  public TableRef withPartition(String name) {
    return new AutoValue_TableRef(schema(), table(), checkIdentifier(name, "partition name"));
  }

  /** The same schema with another table name. */
  public TableRef withTable(String table) {
    return of(schema(), table);
  }

  /**
   * {@code schema.table}, with a part in double quotes where {@link #parse} needs them to read it
   * back.
   */
  @Override
  public final String toString() {
    return schema() == null ? written(table()) : written(schema()) + "." + written(table());
  }

  private static String written(String part) {
    boolean quoted = part.length() >= 2 && part.startsWith("\"") && part.endsWith("\"");
    return part.contains(".") || quoted || part.startsWith("\"")
        ? "\"" + part.replace("\"", "\"\"") + "\""
        : part;
  }
}

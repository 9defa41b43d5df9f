package io.metaload.metadata.schema;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The columns of a table in ordinal order and its primary key column names. */
@AutoValue
public abstract class TableSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract List<Column> columns();

  public abstract List<String> primaryKey();

  public static TableSchema of(List<Column> columns, List<String> primaryKey) {
    return new AutoValue_TableSchema(List.copyOf(columns), List.copyOf(primaryKey));
  }

  /** Case-insensitive lookup, since databases fold unquoted names differently. */
  public Optional<Column> column(String name) {
    return columns().stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
  }

  public int indexOf(String name) {
    for (int i = 0; i < columns().size(); i++) {
      if (columns().get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /** True when {@code column} alone is the primary key, so its values are unique. */
  /**
   * Whether the primary key is exactly {@code columns}, in any order, names compared without case;
   * false without a key.
   */
  public boolean primaryKeyIs(Collection<String> columns) {
    Set<String> key = new HashSet<>();
    primaryKey().forEach(k -> key.add(k.toLowerCase(Locale.ROOT)));
    Set<String> given = new HashSet<>();
    columns.forEach(c -> given.add(c.toLowerCase(Locale.ROOT)));
    return !key.isEmpty() && key.equals(given);
  }

  public boolean isSingleColumnKey(String column) {
    return primaryKey().size() == 1
        && primaryKey().get(0).toLowerCase(Locale.ROOT).equals(column.toLowerCase(Locale.ROOT));
  }
}

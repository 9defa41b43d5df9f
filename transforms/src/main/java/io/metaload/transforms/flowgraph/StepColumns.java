package io.metaload.transforms.flowgraph;

import io.metaload.metadata.schema.Column;
import java.util.ArrayList;
import java.util.List;

/** Column lookups for steps, by name without case, failing with the names that exist. */
public final class StepColumns {
  private StepColumns() {}

  /** The position of {@code name} in {@code columns}, or -1. */
  public static int indexOf(List<Column> columns, String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The column called {@code name}, or a {@link StepConfigException} listing the columns there are.
   */
  public static Column require(List<Column> columns, String name) {
    int i = indexOf(columns, name);
    if (i < 0) {
      throw new StepConfigException(
          "column '" + name + "' does not exist here (columns: " + names(columns) + ")");
    }
    return columns.get(i);
  }

  public static List<String> names(List<Column> columns) {
    List<String> out = new ArrayList<>();
    columns.forEach(c -> out.add(c.name()));
    return out;
  }
}

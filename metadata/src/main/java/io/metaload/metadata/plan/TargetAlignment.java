package io.metaload.metadata.plan;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a target table's columns relate to the source's: named for a new target, or checked against
 * an existing one.
 */
final class TargetAlignment {
  private TargetAlignment() {}

  /** The source's columns and primary key, named the way the target database names new columns. */
  static TableSchema newTargetSchema(TableSchema source, TargetCatalog target) {
    List<Column> columns = new ArrayList<>();
    for (Column c : source.columns()) {
      columns.add(
          Column.of(
              target.newColumnName(c.name()),
              c.type(),
              c.size(),
              c.scale(),
              c.nullable(),
              c.fixedLength(),
              c.typeName()));
    }
    List<String> key = new ArrayList<>();
    source.primaryKey().forEach(k -> key.add(target.newColumnName(k)));
    return TableSchema.of(columns, key);
  }

  /**
   * The target's columns in source order, or a bad-config error listing every difference. A target
   * column may differ in type only within the same family (e.g. integer into bigint).
   */
  static TableSchema alignedTarget(
      String source, TableSchema src, TableRef target, TableSchema tgt) {
    List<String> problems = new ArrayList<>();
    List<Column> aligned = new ArrayList<>();
    for (Column s : src.columns()) {
      Optional<Column> t = tgt.column(s.name());
      if (t.isEmpty()) {
        problems.add("column " + s.name() + " is missing in the target");
      } else if (!t.get().type().family().equals(s.type().family())) {
        problems.add(
            "column "
                + s.name()
                + " is "
                + s.type()
                + " in "
                + source
                + " but "
                + t.get().type()
                + " in the target");
      } else {
        aligned.add(t.get());
      }
    }
    for (Column t : tgt.columns()) {
      if (src.column(t.name()).isEmpty()) {
        problems.add("target column " + t.name() + " does not exist in " + source);
      }
    }
    if (!problems.isEmpty()) {
      throw MetaloadException.badConfig(
          "target table "
              + target
              + " does not match "
              + source
              + ": "
              + String.join("; ", problems));
    }
    return TableSchema.of(aligned, tgt.primaryKey());
  }
}

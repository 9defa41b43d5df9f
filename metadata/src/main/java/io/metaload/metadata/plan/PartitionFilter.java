package io.metaload.metadata.plan;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** A partition's predicate: its list value and split-key bounds, as SQL and as bound parameters. */
final class PartitionFilter {
  private final Dialect dialect;
  private final Column key;
  private final SplitKeyType keyType;
  private final Column partitionColumn;
  private final String value;
  private final Long low;
  private final Long high;

  PartitionFilter(
      Dialect dialect,
      Column key,
      SplitKeyType keyType,
      Column partitionColumn,
      String value,
      Long low,
      Long high) {
    this.dialect = dialect;
    this.key = key;
    this.keyType = keyType;
    this.partitionColumn = partitionColumn;
    this.value = value;
    this.low = low;
    this.high = high;
  }

  /** True when the filter selects every row of the table. */
  boolean isWhole() {
    return (value == null || partitionColumn == null) && low == null && high == null;
  }

  /** {@code " WHERE 1=1 AND ..."}, with a parameter per condition. */
  String sql() {
    String k = dialect.quote(key.name());
    return " WHERE 1=1"
        + (value == null || partitionColumn == null
            ? ""
            : " AND " + dialect.quote(partitionColumn.name()) + " = ?")
        + (low == null ? "" : " AND " + k + " >= ?")
        + (high == null ? "" : " AND " + k + " < ?");
  }

  /** Binds the conditions' values; returns the next parameter index. */
  int bind(PreparedStatement ps) throws SQLException {
    int i = 1;
    if (value != null && partitionColumn != null) {
      partitionColumn.type().bind(ps, i++, partitionColumn.type().parse(value));
    }
    if (low != null) {
      ps.setObject(i++, keyType.fromPosition(low));
    }
    if (high != null) {
      ps.setObject(i++, keyType.fromPosition(high));
    }
    return i;
  }
}

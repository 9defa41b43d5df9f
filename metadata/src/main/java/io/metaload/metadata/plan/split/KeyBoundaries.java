package io.metaload.metadata.plan.split;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.PartitionPlan;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * Where an ordinal plan's key sub-ranges lie: the order key's columns (the split key, then the
 * primary key's other columns where the split key alone is not unique) and, per partition, the
 * ascending key tuples the planner found in the data. Sub-range {@code i} of a partition holds the
 * rows whose order key is at least tuple {@code i - 1} and below tuple {@code i}; the first is
 * unbounded below and the last above, so {@code n} tuples make {@code n + 1} sub-ranges (positions
 * {@code 0..n}). Every comparison is the database's, under the columns' collations.
 */
@AutoValue
public abstract class KeyBoundaries implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract List<Column> columns();

  /** Partition id to its boundary tuples, each value as {@link KeyLiterals} text. */
  public abstract Map<Integer, List<List<String>>> byPartition();

  public static KeyBoundaries of(
      List<Column> columns, Map<Integer, List<List<String>>> byPartition) {
    Map<Integer, List<List<String>>> copy = new TreeMap<>();
    byPartition.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return new AutoValue_KeyBoundaries(List.copyOf(columns), copy);
  }

  /**
   * The boundaries of an ordinal plan, or null for a plan of integer, date or timestamp positions.
   */
  @Nullable
  public static KeyBoundaries of(LoadPlan plan) {
    if (plan.splitKeyType() != SplitKeyType.ORDINAL) {
      return null;
    }
    List<Column> columns = new ArrayList<>();
    if (plan.heapOrder() != null) {
      columns.add(HeapOrder.column());
    }
    for (String name : plan.heapOrder() != null ? List.<String>of() : plan.orderKey()) {
      columns.add(
          plan.sourceSchema()
              .column(name)
              .orElseThrow(
                  () -> new IllegalStateException("order key column " + name + " is gone")));
    }
    Map<Integer, List<List<String>>> byPartition = new TreeMap<>();
    for (PartitionPlan p : plan.partitions()) {
      byPartition.put(p.partitionId(), p.boundaries());
    }
    return of(columns, byPartition);
  }

  /**
   * True when the sub-ranges are runs of heap pages, whose rows need no order within a sub-range.
   */
  public boolean inHeapOrder() {
    return columns().size() == 1
        && columns().get(0).name().equals(HeapOrder.COLUMN)
        && columns().get(0).typeName().equals("tid");
  }

  /** {@code " ORDER BY ..."} for reading one sub-range in key order; empty in heap order. */
  public String orderByClause(KeyRangeSql sql) {
    return inHeapOrder() ? "" : " ORDER BY " + sql.orderBy();
  }

  /** The number of sub-ranges of a partition: its boundaries plus one. */
  public long subRanges(int partitionId) {
    return boundaries(partitionId).size() + 1;
  }

  /**
   * The tuple sub-range {@code position} starts at (inclusive), or null where it is unbounded
   * below.
   */
  @Nullable
  public List<Object> low(int partitionId, long position) {
    return position <= 0 ? null : decode(boundaries(partitionId).get((int) position - 1));
  }

  /** The tuple sub-range {@code position} ends before, or null where it is unbounded above. */
  @Nullable
  public List<Object> high(int partitionId, long position) {
    List<List<String>> b = boundaries(partitionId);
    return position >= b.size() ? null : decode(b.get((int) position));
  }

  private List<List<String>> boundaries(int partitionId) {
    List<List<String>> b = byPartition().get(partitionId);
    if (b == null) {
      throw new IllegalStateException(
          "the plan has no key boundaries for partition " + partitionId);
    }
    return b;
  }

  private List<Object> decode(List<String> tuple) {
    List<Object> out = new ArrayList<>(tuple.size());
    for (int i = 0; i < tuple.size(); i++) {
      out.add(KeyLiterals.decode(columns().get(i).type(), tuple.get(i)));
    }
    return out;
  }
}

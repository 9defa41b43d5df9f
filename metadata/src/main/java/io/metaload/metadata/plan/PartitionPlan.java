package io.metaload.metadata.plan;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * One partition of a run: its predicate, the split-key range that holds its rows ({@code keyFrom}
 * inclusive, {@code keyTo} exclusive, as positions) and the exact source row count that validation
 * compares against, or the database's estimate where the source stopped the count for its time
 * limit ({@link #rowsEstimated}).
 */
@AutoValue
public abstract class PartitionPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract int partitionId();

  /** Human-readable predicate, e.g. {@code region = 'EU'} or {@code id in [0, 1000)}. */
  public abstract String description();

  /** LIST partitions: the value the partition column must equal. */
  @Nullable
  public abstract String predicateValue();

  public abstract long keyFrom();

  public abstract long keyTo();

  public abstract long sourceRows();

  /**
   * Split-key positions that cut the partition's rows into equal slices (ascending, each the key of
   * the first row of its slice), found from the data at plan time; read units are cut at these, so
   * skewed keys still give units of even rows. Empty: cut the key range evenly.
   */
  public abstract List<Long> quantiles();

  /**
   * Ordinal split keys only: the order-key tuples that cut the partition into sub-ranges of about
   * one batch (see {@link io.metaload.metadata.plan.split.KeyBoundaries}); the partition's
   * positions {@code [0, boundaries + 1)} number those sub-ranges.
   */
  public abstract List<List<String>> boundaries();

  /**
   * True when {@link #sourceRows} is the database's estimate, not a count: the source stopped the
   * count past its {@code queryTimeout}. Validation then checks the key ranges' tiling and staging,
   * but cannot compare the rows read with the source's.
   */
  public abstract boolean rowsEstimated();

  public static PartitionPlan of(
      int id,
      String description,
      @Nullable String predicateValue,
      long keyFrom,
      long keyTo,
      long sourceRows) {
    return of(id, description, predicateValue, keyFrom, keyTo, sourceRows, List.of());
  }

  public static PartitionPlan of(
      int id,
      String description,
      @Nullable String predicateValue,
      long keyFrom,
      long keyTo,
      long sourceRows,
      List<Long> quantiles) {
    return new AutoValue_PartitionPlan(
        id,
        description,
        predicateValue,
        keyFrom,
        keyTo,
        sourceRows,
        List.copyOf(quantiles),
        List.of(),
        false);
  }

  /** A partition of an ordinal plan: its sub-ranges are its positions. */
  public static PartitionPlan ordinal(
      int id,
      String description,
      @Nullable String predicateValue,
      long sourceRows,
      List<List<String>> boundaries) {
    List<List<String>> copy = new ArrayList<>(boundaries.size());
    boundaries.forEach(b -> copy.add(List.copyOf(b)));
    return new AutoValue_PartitionPlan(
        id,
        description,
        predicateValue,
        0,
        boundaries.size() + 1L,
        sourceRows,
        List.of(),
        List.copyOf(copy),
        false);
  }

  public PartitionPlan withQuantiles(List<Long> quantiles) {
    return new AutoValue_PartitionPlan(
        partitionId(),
        description(),
        predicateValue(),
        keyFrom(),
        keyTo(),
        sourceRows(),
        List.copyOf(quantiles),
        boundaries(),
        rowsEstimated());
  }

  /** This partition with {@code sourceRows} marked as the database's estimate. */
  public PartitionPlan asEstimate() {
    return new AutoValue_PartitionPlan(
        partitionId(),
        description(),
        predicateValue(),
        keyFrom(),
        keyTo(),
        sourceRows(),
        quantiles(),
        boundaries(),
        true);
  }
}

package io.metaload.transforms.flowgraph;

/** A step compiled for one worker: maps a row, drops it (filter) or rejects it with a reason. */
@FunctionalInterface
public interface RowFunction {
  /**
   * Returns the row the next step receives (the input array may be returned when unchanged, but
   * must not be modified), or null to drop the row: after {@link RowVerdict#reject} it is rejected,
   * otherwise filtered out.
   */
  Object[] apply(Object[] row, RowVerdict verdict);
}

package io.metaload.metadata.model;

/** How a load's source rows are cut into partitions, each validated on its own. */
public enum PartitionStrategy {
  /** One partition: the whole table. */
  NONE,
  /** One partition per listed value of a column, e.g. one per region. */
  LIST,
  /** One partition per range of the split key between listed boundaries. */
  RANGE
}

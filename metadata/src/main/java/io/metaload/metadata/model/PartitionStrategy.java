package io.metaload.metadata.model;

/** How a load's source rows are cut into partitions, each validated on its own. */
public enum PartitionStrategy {
  /** One partition: the whole table. */
  NONE,
  /** One partition per listed value of a column, e.g. one per region. */
  LIST,
  /** One partition per range of the split key between listed boundaries. */
  RANGE,
  /**
   * One partition per calendar day of a date or timestamp split key, from a first day up to
   * (excluding) a last.
   */
  DAY,
  /**
   * One partition per calendar month of a date or timestamp split key, from a first month up to
   * (excluding) a last.
   */
  MONTH,
  /**
   * One partition per partition of the source table itself: each leaf of a PostgreSQL declarative
   * partitioned table, or each (sub)partition of a MariaDB partitioned table, planned and read on
   * its own.
   */
  SOURCE;

  /** True for the calendar strategies, which take {@code from} and {@code to} bounds. */
  public boolean isCalendar() {
    return this == DAY || this == MONTH;
  }
}

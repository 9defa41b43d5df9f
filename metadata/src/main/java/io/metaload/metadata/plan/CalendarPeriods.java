package io.metaload.metadata.plan;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The days or months a load with strategy {@code day} or {@code month} is cut into, from its {@code
 * partitioning.from} and {@code partitioning.to}, with every mistake in them refused as bad
 * configuration (exit 2).
 */
final class CalendarPeriods {
  /** Calendar strategies make at most this many partitions (about 27 years of days). */
  static final int MAX_CALENDAR_PARTITIONS = 10_000;

  private CalendarPeriods() {}

  /**
   * The periods' boundaries in order: {@code from}, the start of each next period, and {@code to};
   * period {@code i} is {@code [get(i), get(i + 1))}.
   */
  static List<LocalDate> boundaries(LoadDefinition d, Column key, SplitKeyType keyType) {
    String strategy = d.partitionStrategy().name().toLowerCase(Locale.ROOT);
    if (!keyType.temporal()) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': strategy '"
              + strategy
              + "' needs a date or timestamp split key; "
              + key.name()
              + " is "
              + keyType.name().toLowerCase(Locale.ROOT));
    }
    LocalDate from = calendarBound(d, 0, "partitioning.from");
    LocalDate to = calendarBound(d, 1, "partitioning.to");
    boolean monthly = d.partitionStrategy() == PartitionStrategy.MONTH;
    if (monthly && (from.getDayOfMonth() != 1 || to.getDayOfMonth() != 1)) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': fields 'partitioning.from' and 'partitioning.to' of strategy 'month' "
              + "must be first days of months, were "
              + from
              + " and "
              + to);
    }
    if (!from.isBefore(to)) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': field 'partitioning.to' ("
              + to
              + ") must be after 'partitioning.from' ("
              + from
              + ")");
    }
    long periods =
        monthly ? ChronoUnit.MONTHS.between(from, to) : ChronoUnit.DAYS.between(from, to);
    if (periods > MAX_CALENDAR_PARTITIONS) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': "
              + from
              + " to "
              + to
              + " makes "
              + periods
              + " "
              + strategy
              + " partitions; at most "
              + MAX_CALENDAR_PARTITIONS
              + " are allowed");
    }
    List<LocalDate> bounds = new ArrayList<>();
    for (LocalDate start = from; start.isBefore(to); ) {
      bounds.add(start);
      start = monthly ? start.plusMonths(1) : start.plusDays(1);
    }
    bounds.add(to);
    return bounds;
  }

  private static LocalDate calendarBound(LoadDefinition d, int index, String field) {
    String literal = d.partitionValues().get(index);
    try {
      return LocalDate.parse(literal.trim());
    } catch (DateTimeParseException e) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': field '"
              + field
              + "' must be a date like 2024-01-31, was '"
              + literal
              + "'");
    }
  }
}

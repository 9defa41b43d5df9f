package io.metaload.metadata.plan;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.plan.split.HeapOrder;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Enumerates a load's partitions by its strategy (all rows, list values, ranges, calendar periods,
 * the source table's own partitions, or a delta window's), refuses what would read a row twice or
 * never, and has each partition measured ({@link PartitionMeasure}).
 */
final class PartitionCounter {
  /**
   * A delta window with fewer rows is cut evenly: it is read in one process anyway, and a quantile
   * pass would read the window a third time.
   */
  static final long SMALL_WINDOW_ROWS = 1_000_000;

  private final Connection connection;
  private final Dialect dialect;

  /**
   * The table counted: the source, or while {@link #sourcePartitions} runs, one partition of it.
   */
  private TableRef table;

  private final Column key;
  private final SplitKeyType keyType;
  private final Column partitionColumn;
  private final boolean countRows;
  private final int batchSize;
  private final boolean uniqueKey;

  /** Partitions with fewer rows are cut evenly, without a quantile pass. */
  private long balanceBelow;

  /** An ordinal key's order key; null for integer, date and timestamp keys. */
  private List<Column> orderKey;

  /** Whether an ordinal key's sub-ranges are runs of heap pages. */
  private boolean heapOrder;

  /** The plan's warnings, which a coarser plan after a timeout adds to. */
  private final List<String> warnings;

  /**
   * The tables the rows are read from: the source, or with strategy {@code source} its partitions.
   */
  private final List<TableRef> relations;

  /** The measure of each table counted, made on first use (so after the key's order is set). */
  private final Map<TableRef, PartitionMeasure> measures = new HashMap<>();

  PartitionCounter(
      Connection connection,
      Dialect dialect,
      TableRef table,
      List<TableRef> relations,
      Column key,
      SplitKeyType keyType,
      Column partitionColumn,
      boolean countRows,
      int batchSize,
      boolean uniqueKey,
      List<String> warnings) {
    this.warnings = warnings;
    this.relations = relations;
    this.countRows = countRows;
    this.batchSize = batchSize;
    this.uniqueKey = uniqueKey;
    this.connection = connection;
    this.dialect = dialect;
    this.table = table;
    this.key = key;
    this.keyType = keyType;
    this.partitionColumn = partitionColumn;
  }

  /**
   * Plans the key as ordinal: partitions are cut into sub-ranges between tuples of {@code columns}.
   */
  void orderedBy(List<Column> columns) {
    this.orderKey = List.copyOf(columns);
  }

  /** Plans the key as ordinal in heap order: partitions are cut into sub-ranges of heap pages. */
  void inHeapOrder() {
    this.orderKey = List.of(HeapOrder.column());
    this.heapOrder = true;
  }

  /**
   * The partitions of a delta window: one, one per list value, or one per calendar period, each
   * within the window.
   */
  List<PartitionPlan> windowPartitions(LoadDefinition d, DeltaWindow window) throws SQLException {
    balanceBelow = SMALL_WINDOW_ROWS;
    List<PartitionPlan> out = new ArrayList<>();
    long low = window.low();
    if (window.empty()) {
      out.add(PartitionPlan.of(0, window.describe() + ": empty", null, low, low, 0));
      return out;
    }
    long high = window.high();
    switch (d.partitionStrategy()) {
      case LIST:
        for (int i = 0; i < d.partitionValues().size(); i++) {
          String value = d.partitionValues().get(i);
          parse(partitionColumn, value, "partitioning.values");
          out.add(
              count(
                  i,
                  partitionColumn.name() + " = '" + value + "' and " + window.describe(),
                  value,
                  low,
                  high));
        }
        break;
      case DAY:
      case MONTH:
        boolean monthly = d.partitionStrategy() == PartitionStrategy.MONTH;
        long perDay = keyType.positionsPerDay();
        LocalDate start = LocalDate.ofEpochDay(Math.floorDiv(low, perDay));
        if (monthly) {
          start = start.withDayOfMonth(1);
        }
        for (int i = 0; keyType.positionOf(start) < high; i++) {
          LocalDate end = monthly ? start.plusMonths(1) : start.plusDays(1);
          if (i >= CalendarPeriods.MAX_CALENDAR_PARTITIONS) {
            throw MetaloadException.badConfig(
                "load '"
                    + d.name()
                    + "': window "
                    + window.describe()
                    + " makes more than "
                    + CalendarPeriods.MAX_CALENDAR_PARTITIONS
                    + " calendar partitions");
          }
          long from = Math.max(low, keyType.positionOf(start));
          long to = Math.min(high, keyType.positionOf(end));
          out.add(
              count(
                  i,
                  key.name() + " in [" + keyType.literal(from) + ", " + keyType.literal(to) + ")",
                  null,
                  from,
                  to));
          start = end;
        }
        break;
      case SOURCE:
        for (PartitionPlan p : sourcePartitions(low, high)) {
          PartitionPlan windowed =
              PartitionPlan.of(
                  p.partitionId(),
                  p.description() + " and " + window.describe(),
                  p.predicateValue(),
                  p.keyFrom(),
                  p.keyTo(),
                  p.sourceRows(),
                  p.quantiles());
          out.add(p.rowsEstimated() ? windowed.asEstimate() : windowed);
        }
        break;
      default:
        out.add(count(0, window.describe(), null, low, high));
    }
    return out;
  }

  List<PartitionPlan> partitions(LoadDefinition d) throws SQLException {
    refuseNullKeys();
    if (orderKey != null
        && d.partitionStrategy() != PartitionStrategy.NONE
        && d.partitionStrategy() != PartitionStrategy.LIST
        && d.partitionStrategy() != PartitionStrategy.SOURCE) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': field 'partitioning.strategy': '"
              + d.partitionStrategy().name().toLowerCase(Locale.ROOT)
              + "' needs an integer, date or timestamp split key; "
              + key.name()
              + " is a "
              + key.type().name().toLowerCase(Locale.ROOT)
              + " key (use 'none', 'list' or 'source')");
    }
    List<PartitionPlan> out = new ArrayList<>();
    if (d.partitionStrategy().isCalendar() && d.partitionValues().isEmpty()) {
      out.add(count(0, "all rows", null, null, null));
      return out;
    }
    switch (d.partitionStrategy()) {
      case NONE:
        out.add(count(0, "all rows", null, null, null));
        break;
      case LIST:
        Map<Object, String> parsed = new HashMap<>();
        for (int i = 0; i < d.partitionValues().size(); i++) {
          String value = d.partitionValues().get(i);
          Object v = parse(partitionColumn, value, "partitioning.values");
          String earlier =
              parsed.put(
                  v instanceof BigDecimal ? ((BigDecimal) v).stripTrailingZeros() : v, value);
          if (earlier != null) {
            throw MetaloadException.badConfig(
                "load '"
                    + d.name()
                    + "': field 'partitioning.values' lists '"
                    + earlier
                    + "' and '"
                    + value
                    + "', which are the same "
                    + partitionColumn.name()
                    + " value");
          }
          out.add(count(i, partitionColumn.name() + " = '" + value + "'", value, null, null));
        }
        refuseOverlappingValues(d, out);
        break;
      case RANGE:
        List<Long> bounds = new ArrayList<>();
        for (String b : d.partitionValues()) {
          long position = keyType.toPosition(parse(key, b, "partitioning.boundaries"));
          if (!bounds.isEmpty() && position <= bounds.get(bounds.size() - 1)) {
            throw MetaloadException.badConfig(
                "load '"
                    + d.name()
                    + "': field 'partitioning.boundaries' must be strictly ascending, '"
                    + b
                    + "' is not");
          }
          bounds.add(position);
        }
        for (int i = 0; i <= bounds.size(); i++) {
          Long low = i == 0 ? null : bounds.get(i - 1);
          Long high = i == bounds.size() ? null : bounds.get(i);
          String desc =
              key.name()
                  + (low == null ? "" : " >= " + keyType.fromPosition(low))
                  + (low != null && high != null ? " and" : "")
                  + (high == null ? "" : " < " + keyType.fromPosition(high));
          out.add(count(i, desc, null, low, high));
        }
        break;
      case DAY:
      case MONTH:
        calendarPartitions(d, out);
        break;
      case SOURCE:
        out.addAll(sourcePartitions(null, null));
        break;
      default:
        throw new AssertionError(d.partitionStrategy());
    }
    return out;
  }

  /**
   * One partition per partition of the source table, each counted and cut on that partition alone,
   * within split-key positions {@code [low, high)} where given (a delta window).
   */
  private List<PartitionPlan> sourcePartitions(Long low, Long high) throws SQLException {
    List<PartitionPlan> out = new ArrayList<>();
    TableRef whole = table;
    try {
      for (int i = 0; i < relations.size(); i++) {
        table = relations.get(i);
        String text = dialect.catalog().sourcePartitionText(table);
        out.add(count(i, "partition " + text, text, low, high));
      }
    } finally {
      table = whole;
    }
    return out;
  }

  /**
   * One partition per day or month of a date or timestamp split key in {@code [from, to)}; rows
   * outside the bounds are not part of the load.
   */
  private void calendarPartitions(LoadDefinition d, List<PartitionPlan> out) throws SQLException {
    List<LocalDate> bounds = CalendarPeriods.boundaries(d, key, keyType);
    for (int i = 0; i + 1 < bounds.size(); i++) {
      LocalDate start = bounds.get(i);
      LocalDate end = bounds.get(i + 1);
      String desc = key.name() + " in [" + start + ", " + end + ")";
      out.add(count(i, desc, null, calendarPosition(start), calendarPosition(end)));
    }
  }

  private long calendarPosition(LocalDate day) {
    return keyType.positionOf(day);
  }

  /**
   * The partitions' counts must add up to the rows any of the values selects; otherwise two values
   * select the same rows (e.g. 'EU' and 'eu' under a case-insensitive collation) and those rows
   * would be loaded twice.
   */
  private void refuseOverlappingValues(LoadDefinition d, List<PartitionPlan> partitions)
      throws SQLException {
    if (!countRows) {
      return;
    }
    if (partitions.stream().anyMatch(PartitionPlan::rowsEstimated)) {
      warnings.add(
          "the values of 'partitioning.values' were not checked for overlap (values equal under the column's collation), "
              + "as some of their counts are estimates");
      return;
    }
    String marks = String.join(", ", Collections.nCopies(d.partitionValues().size(), "?"));
    String sql =
        "SELECT COUNT(*) FROM "
            + dialect.qualified(table)
            + " WHERE "
            + dialect.quote(partitionColumn.name())
            + " IN ("
            + marks
            + ")";
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < d.partitionValues().size(); i++) {
        partitionColumn
            .type()
            .bind(ps, i + 1, partitionColumn.type().parse(d.partitionValues().get(i)));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long distinct = rs.getLong(1);
        long summed = partitions.stream().mapToLong(PartitionPlan::sourceRows).sum();
        if (distinct != summed) {
          throw MetaloadException.badConfig(
              "load '"
                  + d.name()
                  + "': the values of 'partitioning.values' overlap: they select "
                  + distinct
                  + " rows together but "
                  + summed
                  + " one by one (values equal under the column's collation?)");
        }
      }
    }
  }

  /** Rows with a NULL split key would never be read, so they are refused before anything moves. */
  private void refuseNullKeys() throws SQLException {
    if (!countRows) {
      return;
    }
    for (Column column : orderKey == null ? List.of(key) : orderKey) {
      long nulls =
          column.nullable() ? DeltaPlanning.countNulls(connection, dialect, table, column) : 0;
      if (nulls > 0) {
        throw MetaloadException.badConfig(
            "split key "
                + table
                + "."
                + column.name()
                + " is NULL in "
                + nulls
                + " rows, which keyset batches cannot reach; choose a NOT NULL split key");
      }
    }
  }

  private Object parse(Column column, String literal, String field) {
    try {
      return column.type().parse(literal);
    } catch (IllegalArgumentException e) {
      throw MetaloadException.badConfig(
          "field '" + field + "': " + e.getMessage() + " for column " + column.name());
    }
  }

  private PartitionPlan count(int id, String description, String value, Long low, Long high)
      throws SQLException {
    PartitionMeasure measure =
        measures.computeIfAbsent(
            table,
            t ->
                new PartitionMeasure(
                    connection,
                    dialect,
                    t,
                    key,
                    keyType,
                    partitionColumn,
                    countRows,
                    batchSize,
                    uniqueKey,
                    orderKey,
                    heapOrder,
                    balanceBelow,
                    warnings));
    return measure.count(id, description, value, low, high);
  }
}

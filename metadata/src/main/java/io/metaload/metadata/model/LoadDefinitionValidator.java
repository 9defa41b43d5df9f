package io.metaload.metadata.model;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.schema.TableRef;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a definition's fields on their own (no database access). Errors name the load and the
 * field; {@code where} prefixes them with the file or table the definition came from.
 */
public final class LoadDefinitionValidator {
  private static final Pattern LOAD_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  static final Pattern FLOWGRAPH_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  private static final int MAX_BATCH_SIZE = 1_000_000;

  private LoadDefinitionValidator() {}

  public static LoadDefinition validate(String where, LoadDefinition d) {
    String prefix = where + ": load '" + d.name() + "': ";
    if (!LOAD_NAME.matcher(d.name()).matches()) {
      throw fail(
          prefix,
          "name",
          "must be 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit");
    }
    checkIdentifierField(prefix, "source.table", () -> TableRef.parse(d.sourceTable()));
    checkIdentifierField(prefix, "target.table", () -> TableRef.parse(d.targetTable()));
    for (String column : d.splitKeyColumns()) {
      checkIdentifierField(prefix, "splitKey", () -> TableRef.checkIdentifier(column, "split key"));
    }
    if (new HashSet<>(
                d.splitKeyColumns().stream()
                    .map(c -> c.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toList()))
            .size()
        != d.splitKeyColumns().size()) {
      throw fail(prefix, "splitKey", "names a column twice: " + d.splitKeyColumns());
    }
    if (d.batchSize() < 1 || d.batchSize() > MAX_BATCH_SIZE) {
      throw fail(
          prefix,
          "batchSize",
          "must be between 1 and " + MAX_BATCH_SIZE + ", was " + d.batchSize());
    }
    if (d.fetchSize() < 1 || d.fetchSize() > MAX_BATCH_SIZE) {
      throw fail(
          prefix,
          "fetchSize",
          "must be between 1 and " + MAX_BATCH_SIZE + ", was " + d.fetchSize());
    }
    checkDelta(prefix, d);
    if (d.maxRejects() != null && d.maxRejects() < 0) {
      throw fail(prefix, "maxRejects.rows", "must be 0 or more, was " + d.maxRejects());
    }
    if (d.maxRejectShare() != null && !(d.maxRejectShare() >= 0 && d.maxRejectShare() <= 1)) {
      throw fail(
          prefix,
          "maxRejects.share",
          "must be between 0 and 1 (a share of rows read), was " + d.maxRejectShare());
    }
    if (!FLOWGRAPH_NAME.matcher(d.flowgraph()).matches()) {
      throw fail(
          prefix,
          "flowgraph",
          "must be 1-128 letters, digits, '_', '.' or '-', was '" + d.flowgraph() + "'");
    }
    if (d.sla() != null) {
      checkDuration(prefix, "sla", d.sla());
      if (Durations.parse(d.sla()).isZero()) {
        throw fail(prefix, "sla", "must be longer than 0");
      }
    }
    if (d.slaAction() != null) {
      if (!d.slaAction().equals("warn") && !d.slaAction().equals("fail")) {
        throw fail(prefix, "slaAction", "must be 'warn' or 'fail', was '" + d.slaAction() + "'");
      }
      if (d.sla() == null) {
        throw fail(prefix, "slaAction", "needs an 'sla' to act on");
      }
    }
    switch (d.partitionStrategy()) {
      case NONE:
        if (d.partitionColumn() != null || !d.partitionValues().isEmpty()) {
          throw fail(prefix, "partitioning", "strategy 'none' takes no column and no values");
        }
        break;
      case LIST:
        if (d.partitionColumn() == null) {
          throw fail(prefix, "partitioning.column", "is required for strategy 'list'");
        }
        checkIdentifierField(
            prefix,
            "partitioning.column",
            () -> TableRef.checkIdentifier(d.partitionColumn(), "partition column"));
        if (d.partitionValues().isEmpty()) {
          throw fail(
              prefix, "partitioning.values", "must list at least one value for strategy 'list'");
        }
        if (d.partitionValues().stream().distinct().count() != d.partitionValues().size()) {
          throw fail(prefix, "partitioning.values", "lists a value twice");
        }
        break;
      case RANGE:
        if (d.partitionColumn() != null) {
          throw fail(
              prefix,
              "partitioning.column",
              "must be empty for strategy 'range' (ranges are on the split key)");
        }
        if (d.partitionValues().isEmpty()) {
          throw fail(
              prefix,
              "partitioning.boundaries",
              "must list at least one split-key boundary for strategy 'range'");
        }
        break;
      case DAY:
      case MONTH:
        if (d.partitionColumn() != null) {
          throw fail(
              prefix,
              "partitioning.column",
              "must be empty for strategy '"
                  + d.partitionStrategy().name().toLowerCase(Locale.ROOT)
                  + "' (calendar partitions are on the split key)");
        }
        if (d.deltaMode().windowed()) {
          if (!d.partitionValues().isEmpty()) {
            throw fail(
                prefix,
                "partitioning.from",
                "and 'partitioning.to' do not apply to delta mode '"
                    + d.deltaMode().yamlName()
                    + "': each run's window is cut into calendar partitions of delta.column");
          }
          break;
        }
        if (d.partitionValues().size() != 2) {
          throw fail(
              prefix,
              "partitioning.from",
              "and 'partitioning.to' are both required for strategy '"
                  + d.partitionStrategy().name().toLowerCase(Locale.ROOT)
                  + "'");
        }
        break;
      case SOURCE:
        if (d.partitionColumn() != null || !d.partitionValues().isEmpty()) {
          throw fail(
              prefix,
              "partitioning",
              "strategy 'source' takes no column, values or boundaries: the source table's own "
                  + "partitions are the partitions");
        }
        break;
      default:
        throw new AssertionError(d.partitionStrategy());
    }
    return d;
  }

  /**
   * A windowed mode needs its column and the write mode that publishes a window; a full load takes
   * neither. Lookback and fence durations must parse.
   */
  private static void checkDelta(String prefix, LoadDefinition d) {
    DeltaMode mode = d.deltaMode();
    if (!mode.windowed()) {
      if (d.deltaColumn() != null || d.lookback() != null) {
        throw fail(prefix, "delta", "mode 'full' takes no column and no lookback");
      }
      if (d.writeMode() != WriteMode.SWAP) {
        throw fail(
            prefix,
            "target.writeMode",
            "'"
                + d.writeMode().yamlName()
                + "' publishes a window; a full load (delta mode 'full') "
                + "is published by 'swap'");
      }
      return;
    }
    if (d.deltaColumn() == null) {
      throw fail(prefix, "delta.column", "is required for delta mode '" + mode.yamlName() + "'");
    }
    checkIdentifierField(
        prefix, "delta.column", () -> TableRef.checkIdentifier(d.deltaColumn(), "delta column"));
    WriteMode expected =
        mode == DeltaMode.WINDOW_REPLACE ? WriteMode.REPLACE_WINDOW : WriteMode.MERGE;
    if (d.writeMode() != expected) {
      throw fail(
          prefix,
          "target.writeMode",
          "must be '"
              + expected.yamlName()
              + "' for delta mode '"
              + mode.yamlName()
              + "', was '"
              + d.writeMode().yamlName()
              + "'");
    }
    if (d.lookback() != null && !Durations.isCount(d.lookback())) {
      checkDuration(prefix, "delta.lookback", d.lookback());
    }
    checkDuration(prefix, "delta.fenceMargin", d.fenceMargin());
    checkDuration(prefix, "delta.fenceWait", d.fenceWait());
    if (d.deltaTimeZone() != null) {
      try {
        ZoneId.of(d.deltaTimeZone());
      } catch (DateTimeException e) {
        throw fail(
            prefix,
            "delta.timeZone",
            "is '"
                + d.deltaTimeZone()
                + "', which is not a time zone: give a region like "
                + "Europe/Berlin or an offset like +02:00");
      }
    }
    if (d.partitionStrategy() == PartitionStrategy.RANGE) {
      throw fail(
          prefix,
          "partitioning.strategy",
          "'range' is not available for delta mode '"
              + mode.yamlName()
              + "' (use none, list, day or month)");
    }
  }

  private static void checkDuration(String prefix, String field, String text) {
    try {
      Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw fail(prefix, field, e.getMessage());
    }
  }

  private static void checkIdentifierField(String prefix, String field, Runnable check) {
    try {
      check.run();
    } catch (MetaloadException e) {
      throw fail(prefix, field, e.getMessage());
    }
  }

  private static MetaloadException fail(String prefix, String field, String problem) {
    return MetaloadException.badConfig(prefix + "field '" + field + "' " + problem);
  }
}

package io.metaload.metadata.plan;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.Durations;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.RunParameters;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import javax.annotation.Nullable;

/**
 * Decides a run's {@link DeltaWindow} from the published watermark, the lookback, the fence and the
 * backfill parameters.
 */
final class DeltaWindows {
  private DeltaWindows() {}

  static DeltaWindow of(
      LoadDefinition d,
      Column column,
      SplitKeyType type,
      @Nullable String previous,
      WatermarkFence fence,
      RunParameters params) {
    String zone = fence.zone() == null ? null : fence.zone().zone().getId();
    String from = params.values().get(RunParameters.FROM);
    String to = params.values().get(RunParameters.TO);
    Long high = fence.position();
    if (previous != null) {
      try {
        type.parsePosition(previous);
      } catch (RuntimeException e) {
        throw MetaloadException.badConfig(
            "load '"
                + d.name()
                + "': the target's publication log holds watermark '"
                + previous
                + "', which is not a value of delta column "
                + column.name()
                + " ("
                + column.type()
                + "); was delta.column changed?");
      }
    }
    if (from != null || to != null) {
      if (from == null) {
        throw MetaloadException.badConfig(
            "load '"
                + d.name()
                + "': --param "
                + RunParameters.TO
                + " needs --param "
                + RunParameters.FROM
                + " (a backfill names its window's start)");
      }
      long low = position(d, column, type, RunParameters.FROM, from);
      if (to != null) {
        long end = position(d, column, type, RunParameters.TO, to);
        if (end <= low) {
          throw MetaloadException.badConfig(
              "load '"
                  + d.name()
                  + "': --param "
                  + RunParameters.TO
                  + "="
                  + to
                  + " must be after --param "
                  + RunParameters.FROM
                  + "="
                  + from);
        }
        high = high == null ? low : Math.min(end, high);
      }
      return DeltaWindow.of(
          DeltaWindow.Kind.BACKFILL,
          column.name(),
          type,
          low,
          high == null ? low : Math.max(low, high),
          previous,
          fence.basis(),
          zone);
    }
    if (previous == null) {
      return DeltaWindow.of(
          DeltaWindow.Kind.INITIAL, column.name(), type, null, high, null, fence.basis(), zone);
    }
    long published = type.parsePosition(previous);
    long low = Math.subtractExact(published, lookback(d, column, type));
    if (type == SplitKeyType.TIMESTAMP && high != null && fence.zone() != null) {
      low = RepeatedHour.start(low, high, fence.zone().zone());
    }
    return DeltaWindow.of(
        DeltaWindow.Kind.INCREMENTAL,
        column.name(),
        type,
        low,
        high == null ? low : Math.max(low, high),
        previous,
        fence.basis(),
        zone);
  }

  /** The lookback in positions of {@code type}: microseconds, days, or the integer itself. */
  static long lookback(LoadDefinition d, Column column, SplitKeyType type) {
    String text = d.lookback();
    if (text == null) {
      return 0;
    }
    boolean count = Durations.isCount(text);
    if (!type.temporal()) {
      if (!count) {
        throw MetaloadException.badConfig(
            "load '"
                + d.name()
                + "': field 'delta.lookback' is '"
                + text
                + "', but delta column "
                + column.name()
                + " is an integer: give a number of values, e.g. 1000");
      }
      return Long.parseLong(text.trim());
    }
    if (count && Long.parseLong(text.trim()) != 0) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': field 'delta.lookback' is '"
              + text
              + "', but delta column "
              + column.name()
              + " is a "
              + column.type().name().toLowerCase(Locale.ROOT)
              + ": give a duration, e.g. 2h or 3d");
    }
    Duration duration = count ? Duration.ZERO : Durations.parse(text);
    if (type == SplitKeyType.DATE) {
      long days = duration.toDays();
      return duration.equals(Duration.ofDays(days)) ? days : days + 1;
    }
    return duration.toNanos() / 1_000;
  }

  private static long position(
      LoadDefinition d, Column column, SplitKeyType type, String name, String literal) {
    try {
      return type.parsePosition(literal);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': --param "
              + name
              + "='"
              + literal
              + "' is not a "
              + (type.temporal()
                  ? type == SplitKeyType.DATE
                      ? "date like 2024-05-01"
                      : "date or timestamp like 2024-05-01 or 2024-05-01T06:00"
                  : "integer")
              + " (delta column "
              + column.name()
              + " is "
              + column.type()
              + ")");
    }
  }
}

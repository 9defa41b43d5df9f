package io.metaload.metadata.plan;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.schema.SplitKeyType;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import javax.annotation.Nullable;

/**
 * The rows one run of a windowed delta load reads: those whose {@link #column()} lies in {@code
 * [low, high)}, as positions of {@link #type()}. {@code high} is the run's fence, below which no
 * transaction can still commit; {@code low} is the last published watermark minus the lookback, or
 * a backfill's {@code from}. The load's first run reads the whole table instead ({@link
 * Kind#INITIAL}) and publishes {@code high} as its watermark.
 */
@AutoValue
public abstract class DeltaWindow implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What the run is for, which decides what it reads and what watermark it publishes. */
  public enum Kind {
    /**
     * No watermark is published yet: read the whole table, publish by swap, then the fence is the
     * watermark.
     */
    INITIAL,
    /**
     * Read from the published watermark minus the lookback up to the fence; the fence becomes the
     * watermark.
     */
    INCREMENTAL,
    /** An explicit window from parameters; the published watermark does not move. */
    BACKFILL
  }

  public abstract Kind kind();

  /** The source column the window is on. */
  public abstract String column();

  public abstract SplitKeyType type();

  /** Inclusive lower bound; null for {@link Kind#INITIAL}. */
  @Nullable
  public abstract Long low();

  /** Exclusive upper bound; null when an integer column had no rows when the fence was taken. */
  @Nullable
  public abstract Long high();

  /** The watermark published before this run, as text; null if none. */
  @Nullable
  public abstract String previousWatermark();

  /** Where the fence came from, for the log (e.g. the start of the oldest open transaction). */
  public abstract String fenceBasis();

  /**
   * The zone a date or zone-less timestamp column is stamped in, as a zone id; null for other
   * columns.
   */
  @Nullable
  public abstract String timeZone();

  public static DeltaWindow of(
      Kind kind,
      String column,
      SplitKeyType type,
      @Nullable Long low,
      @Nullable Long high,
      @Nullable String previousWatermark,
      String fenceBasis,
      @Nullable String timeZone) {
    return new AutoValue_DeltaWindow(
        kind, column, type, low, high, previousWatermark, fenceBasis, timeZone);
  }

  /**
   * The window's upper bound as an instant (a zone-less timestamp and a date read in the zone the
   * source stamps in, else {@code fallback}); null for integers or an empty integer window.
   */
  @Nullable
  public Instant highInstant(ZoneId fallback) {
    return highInstantIn(timeZone() == null ? fallback : ZoneId.of(timeZone()));
  }

  /** True when the run reads only its window (not the whole table). */
  public boolean reads() {
    return kind() != Kind.INITIAL;
  }

  /** True when the window holds no positions at all. */
  public boolean empty() {
    return high() == null || (low() != null && high() <= low());
  }

  /**
   * The watermark to publish with this run: the fence for an initial or incremental run (never
   * below the previous watermark), the previous one for a backfill.
   */
  @Nullable
  public String publishedWatermark() {
    if (kind() == Kind.BACKFILL || high() == null) {
      return previousWatermark();
    }
    if (previousWatermark() != null && type().parsePosition(previousWatermark()) >= high()) {
      return previousWatermark();
    }
    return type().literal(high());
  }

  @Nullable
  private Instant highInstantIn(ZoneId zone) {
    if (high() == null) {
      return null;
    }
    switch (type()) {
      case DATE:
        return LocalDate.ofEpochDay(high()).atStartOfDay(zone).toInstant();
      case TIMESTAMP:
        return ((LocalDateTime) type().fromPosition(high())).atZone(zone).toInstant();
      case TIMESTAMP_TZ:
        return Instant.EPOCH.plus(high(), ChronoUnit.MICROS);
      default:
        return null;
    }
  }

  /** The window's lower bound as text, or null. */
  @Nullable
  public String lowLiteral() {
    return low() == null ? null : type().literal(low());
  }

  /** The window's upper bound as text, or null. */
  @Nullable
  public String highLiteral() {
    return high() == null ? null : type().literal(high());
  }

  /** E.g. {@code updated_at in [2024-05-01T00:00, 2024-05-02T00:00)}. */
  public String describe() {
    if (kind() == Kind.INITIAL) {
      return "all rows (first run; watermark "
          + column()
          + " < "
          + (high() == null ? "none" : highLiteral())
          + ")";
    }
    return column()
        + " in ["
        + lowLiteral()
        + ", "
        + (high() == null ? lowLiteral() : highLiteral())
        + ")"
        + (kind() == Kind.BACKFILL ? " (backfill)" : "");
  }
}

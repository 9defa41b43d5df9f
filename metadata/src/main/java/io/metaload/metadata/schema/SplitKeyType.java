package io.metaload.metadata.schema;

import io.metaload.metadata.error.MetaloadException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Maps split-key values onto {@code long} positions so key ranges can be split and claimed as
 * offsets: integers as themselves, dates as epoch days, timestamps as epoch microseconds. Keys
 * whose order only the database knows (strings under a collation, UUIDs, bytes) are {@link
 * #ORDINAL}: their positions number the sub-ranges between key values the plan found in the data,
 * and no key value is ever turned into a number or compared in Java.
 */
public enum SplitKeyType {
  INTEGER {
    @Override
    public long toPosition(Object value) {
      return ((Number) value).longValue();
    }

    @Override
    public Object fromPosition(long position) {
      return position;
    }
  },
  DATE {
    @Override
    public long toPosition(Object value) {
      return ((LocalDate) value).toEpochDay();
    }

    @Override
    public Object fromPosition(long position) {
      return LocalDate.ofEpochDay(position);
    }
  },
  TIMESTAMP {
    private final LocalDateTime epoch = LocalDateTime.of(1970, 1, 1, 0, 0);

    @Override
    public long toPosition(Object value) {
      LocalDateTime t = (LocalDateTime) value;
      return Math.addExact(
          Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1_000_000L), t.getNano() / 1_000);
    }

    @Override
    public Object fromPosition(long position) {
      return epoch.plus(position, ChronoUnit.MICROS);
    }
  },
  /** {@code timestamp with time zone}: positions are epoch microseconds of the instant. */
  TIMESTAMP_TZ {
    @Override
    public long toPosition(Object value) {
      OffsetDateTime t = (OffsetDateTime) value;
      return Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    @Override
    public Object fromPosition(long position) {
      return OffsetDateTime.ofInstant(
          Instant.EPOCH.plus(position, ChronoUnit.MICROS), ZoneOffset.UTC);
    }
  },
  /**
   * Strings, UUIDs and bytes: position {@code i} is the plan's {@code i}-th key sub-range of a
   * partition ({@code io.metaload.metadata.plan.split.KeyBoundaries}); values have no positions.
   */
  ORDINAL {
    @Override
    public long toPosition(Object value) {
      throw new UnsupportedOperationException("ordinal split keys have no value positions");
    }

    @Override
    public Object fromPosition(long position) {
      throw new UnsupportedOperationException("ordinal split keys have no value positions");
    }

    @Override
    public String literal(long position) {
      return "sub-range " + position;
    }
  };

  /** Positions per day: 1 for dates, microseconds for timestamps; integers have no days. */
  public long positionsPerDay() {
    return this == DATE ? 1 : this == INTEGER || this == ORDINAL ? 0 : 86_400_000_000L;
  }

  /** True for dates and timestamps. */
  public boolean temporal() {
    return this != INTEGER && this != ORDINAL;
  }

  /** The position of the start of {@code day} (UTC for timestamps with time zone). */
  public long positionOf(LocalDate day) {
    switch (this) {
      case DATE:
        return toPosition(day);
      case TIMESTAMP:
        return toPosition(day.atStartOfDay());
      case TIMESTAMP_TZ:
        return toPosition(day.atStartOfDay().atOffset(ZoneOffset.UTC));
      default:
        throw new IllegalStateException("integer positions have no days");
    }
  }

  /**
   * The position of a value written as text, e.g. a {@code --param}: an integer, a date or a
   * timestamp.
   */
  public long parsePosition(String literal) {
    String t = literal.trim();
    switch (this) {
      case INTEGER:
        return Long.parseLong(t);
      case DATE:
        return toPosition(LocalDate.parse(t));
      case TIMESTAMP:
        return t.length() == 10
            ? positionOf(LocalDate.parse(t))
            : toPosition(LocalDateTime.parse(t.replace(' ', 'T')));
      default:
        if (t.length() == 10) {
          return positionOf(LocalDate.parse(t));
        }
        String iso = t.replace(' ', 'T');
        try {
          return toPosition(OffsetDateTime.parse(iso));
        } catch (DateTimeParseException e) {
          return toPosition(LocalDateTime.parse(iso).atOffset(ZoneOffset.UTC));
        }
    }
  }

  /** A position as text that {@link #parsePosition} reads back. */
  public String literal(long position) {
    return fromPosition(position).toString();
  }

  /** Position of a split-key value as read by {@link ColumnType#read}. */
  public abstract long toPosition(Object value);

  /** The value to bind for a position. */
  public abstract Object fromPosition(long position);

  /** The split-key type of a column, or a bad-config error naming the column and its type. */
  public static SplitKeyType of(TableRef table, Column column) {
    switch (column.type()) {
      case BIGINT:
      case INTEGER:
      case SMALLINT:
        return INTEGER;
      case DATE:
        return DATE;
      case TIMESTAMP:
      case TIMESTAMP_TZ:
        if (column.scale() > 6) {
          throw MetaloadException.badConfig(
              "split key "
                  + table
                  + "."
                  + column.name()
                  + " has "
                  + column.scale()
                  + " fractional digits; timestamp split keys may have at most 6 (microseconds)");
        }
        return column.type() == ColumnType.TIMESTAMP ? TIMESTAMP : TIMESTAMP_TZ;
      case STRING:
      case UUID:
      case BYTES:
        return ORDINAL;
      default:
        throw MetaloadException.badConfig(
            "split key "
                + table
                + "."
                + column.name()
                + " has type "
                + column.type()
                + "; split keys must be integer, date, timestamp, string, UUID or binary columns");
    }
  }
}

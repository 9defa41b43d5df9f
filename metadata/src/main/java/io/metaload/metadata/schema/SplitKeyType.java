package io.metaload.metadata.schema;

import io.metaload.metadata.error.MetaloadException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Maps split-key values onto {@code long} positions so key ranges can be split and claimed as
 * offsets: integers as themselves, dates as epoch days, timestamps as epoch microseconds.
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
      return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1_000_000L), t.getNano() / 1_000);
    }

    @Override
    public Object fromPosition(long position) {
      return epoch.plus(position, ChronoUnit.MICROS);
    }
  };

  /** Position of a split-key value as read by {@link ColumnType#read}. */
  public abstract long toPosition(Object value);

  /** The value to bind for a position. */
  public abstract Object fromPosition(long position);

  /** The split-key type of a column, or a bad-config error naming the column and its type. */
  public static SplitKeyType of(TableRef table, Column column) {
    switch (column.type()) {
      case BIGINT: case INTEGER: case SMALLINT: return INTEGER;
      case DATE: return DATE;
      case TIMESTAMP:
        if (column.scale() > 6) {
          throw MetaloadException.badConfig("split key " + table + "." + column.name() + " has " + column.scale()
              + " fractional digits; timestamp split keys may have at most 6 (microseconds)");
        }
        return TIMESTAMP;
      default:
        throw MetaloadException.badConfig("split key " + table + "." + column.name() + " has type " + column.type()
            + "; split keys must be integer, date or timestamp columns");
    }
  }
}

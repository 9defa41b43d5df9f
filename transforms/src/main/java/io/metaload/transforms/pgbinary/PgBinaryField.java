package io.metaload.transforms.pgbinary;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.annotation.Nullable;
import org.postgresql.util.ByteConverter;

/**
 * One PostgreSQL type's field in binary COPY: which of metaload's value types it takes, its bytes
 * for such a value, and the value its bytes hold (the same Java value the JDBC driver returns).
 * Only types whose binary form is fixed and documented are here; a column of any other type is read
 * through JDBC and written as COPY text, and a PostgreSQL to PostgreSQL pass-through moves only
 * these types' tuples.
 */
public enum PgBinaryField {
  INT8 {
    @Override
    public boolean takes(ColumnType t) {
      return t == ColumnType.BIGINT || t == ColumnType.INTEGER || t == ColumnType.SMALLINT;
    }

    @Override
    public void write(CopyBuffer out, Object v) {
      out.writeInt(8);
      out.writeLong(((Number) v).longValue());
    }

    @Override
    public Object decode(byte[] b, int at, int len) {
      return readLong(b, at);
    }
  },
  INT4 {
    @Override
    public boolean takes(ColumnType t) {
      return t == ColumnType.INTEGER || t == ColumnType.SMALLINT;
    }

    @Override
    public void write(CopyBuffer out, Object v) {
      out.writeInt(4);
      out.writeInt(((Number) v).intValue());
    }

    @Override
    public Object decode(byte[] b, int at, int len) {
      return readInt(b, at);
    }
  },
  INT2 {
    @Override
    public boolean takes(ColumnType t) {
      return t == ColumnType.SMALLINT;
    }

    @Override
    public void write(CopyBuffer out, Object v) {
      out.writeInt(2);
      out.writeShort(((Number) v).shortValue());
    }

    @Override
    public Object decode(byte[] b, int at, int len) {
      return (short) readShort(b, at);
    }
  },
  NUMERIC {
    @Override
    public boolean takes(ColumnType t) {
      return t == ColumnType.DECIMAL
          || t == ColumnType.BIGINT
          || t == ColumnType.INTEGER
          || t == ColumnType.SMALLINT;
    }

    @Override
    public void write(CopyBuffer out, Object v) {
      if (v instanceof Double) {
        writeNonFinite(out, (Double) v);
        return;
      }
      BigDecimal d =
          v instanceof BigDecimal ? (BigDecimal) v : BigDecimal.valueOf(((Number) v).longValue());
      if (!NumericDigits.write(out, d)) {
        byte[] b = ByteConverter.numeric(d);
        out.writeInt(b.length);
        out.write(b, 0, b.length);
      }
    }

    @Override
    public Object decode(byte[] b, int at, int len) {
      BigDecimal common = NumericDigits.read(b, at);
      if (common != null) {
        return common;
      }
      return ByteConverter.numeric(b, at, len);
    }
  },
  FLOAT8 {
    @Override
    public boolean takes(ColumnType t) {
      return t == ColumnType.DOUBLE || t == ColumnType.REAL;
    }

    @Override
    public void write(CopyBuffer out, Object v) {
      out.writeInt(8);
      out.writeLong(Double.doubleToRawLongBits(((Number) v).doubleValue()));
    }

    @Override
    public Object decode(byte[] b, int at, int len) {
      return Double.longBitsToDouble(readLong(b, at));
    }
  },
  FLOAT4 {
    @Override
    public boolean takes(ColumnType t) {
      return t == ColumnType.REAL;
    }

    @Override
    public void write(CopyBuffer out, Object v) {
      out.writeInt(4);
      out.writeInt(Float.floatToRawIntBits((Float) v));
    }

    @Override
    public Object decode(byte[] b, int at, int len) {
      return Float.intBitsToFloat(readInt(b, at));
    }
  },
  BOOL {
    @Override
    public boolean takes(ColumnType t) {
      return t == ColumnType.BOOLEAN;
    }

    @Override
    public void write(CopyBuffer out, Object v) {
      out.writeInt(1);
      out.writeByte((Boolean) v ? 1 : 0);
    }

    @Override
    public Object decode(byte[] b, int at, int len) {
      return b[at] != 0;
    }
  },
  /**
   * text, varchar, bpchar and json: the UTF-8 bytes, checked and length-limited by the server as
   * for text input.
   */
  TEXT {
    @Override
    public boolean takes(ColumnType t) {
      return t == ColumnType.STRING || t == ColumnType.JSON || t == ColumnType.TEXT_FORM;
    }

    @Override
    public void write(CopyBuffer out, Object v) {
      byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b, 0, b.length);
    }

    @Override
    public Object decode(byte[] b, int at, int len) {
      return new String(b, at, len, StandardCharsets.UTF_8);
    }
  },
  /** jsonb: a format version byte (1), then the document's text. */
  JSONB {
    @Override
    public boolean takes(ColumnType t) {
      return t == ColumnType.JSON || t == ColumnType.STRING;
    }

    @Override
    public void write(CopyBuffer out, Object v) {
      byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length + 1);
      out.writeByte(1);
      out.write(b, 0, b.length);
    }

    @Override
    public Object decode(byte[] b, int at, int len) {
      if (b[at] != 1) {
        throw new IllegalStateException("jsonb binary format version " + b[at] + " is not 1");
      }
      return new String(b, at + 1, len - 1, StandardCharsets.UTF_8);
    }
  },
  BYTEA {
    @Override
    public boolean takes(ColumnType t) {
      return t == ColumnType.BYTES;
    }

    @Override
    public void write(CopyBuffer out, Object v) {
      byte[] b = (byte[]) v;
      out.writeInt(b.length);
      out.write(b, 0, b.length);
    }

    @Override
    public Object decode(byte[] b, int at, int len) {
      return Arrays.copyOfRange(b, at, at + len);
    }
  },
  UUID_FIELD {
    @Override
    public boolean takes(ColumnType t) {
      return t == ColumnType.UUID;
    }

    @Override
    public void write(CopyBuffer out, Object v) {
      out.writeInt(16);
      out.writeLong(((UUID) v).getMostSignificantBits());
      out.writeLong(((UUID) v).getLeastSignificantBits());
    }

    @Override
    public Object decode(byte[] b, int at, int len) {
      return new UUID(readLong(b, at), readLong(b, at + 8));
    }
  },
  /**
   * Days since 2000-01-01; {@code LocalDate.MAX}/{@code MIN} are {@code infinity}/{@code
   * -infinity}.
   */
  DATE {
    @Override
    public boolean takes(ColumnType t) {
      return t == ColumnType.DATE;
    }

    @Override
    public void write(CopyBuffer out, Object v) {
      out.writeInt(4);
      if (v.equals(LocalDate.MAX)) {
        out.writeInt(Integer.MAX_VALUE);
      } else if (v.equals(LocalDate.MIN)) {
        out.writeInt(Integer.MIN_VALUE);
      } else {
        LocalDate d = (LocalDate) v;
        out.writeInt(
            inYears(d.getYear(), 5_874_896)
                ? (int) (d.toEpochDay() - PG_EPOCH_DAYS)
                : OUT_OF_RANGE_DAYS);
      }
    }

    @Override
    public Object decode(byte[] b, int at, int len) {
      int days = readInt(b, at);
      if (days == Integer.MAX_VALUE) {
        return LocalDate.MAX;
      }
      return days == Integer.MIN_VALUE ? LocalDate.MIN : LocalDate.ofEpochDay(days + PG_EPOCH_DAYS);
    }
  },
  /**
   * Microseconds since 2000-01-01 00:00, nanoseconds rounded half up as the server rounds text
   * input.
   */
  TIMESTAMP {
    @Override
    public boolean takes(ColumnType t) {
      return t == ColumnType.TIMESTAMP;
    }

    @Override
    public void write(CopyBuffer out, Object v) {
      out.writeInt(8);
      if (v.equals(LocalDateTime.MAX)) {
        out.writeLong(Long.MAX_VALUE);
      } else if (v.equals(LocalDateTime.MIN)) {
        out.writeLong(Long.MIN_VALUE);
      } else {
        LocalDateTime t = (LocalDateTime) v;
        out.writeLong(
            inYears(t.getYear(), 294_275)
                ? micros(
                    t.toLocalDate().toEpochDay() * 86_400L + t.toLocalTime().toSecondOfDay(),
                    t.getNano())
                : OUT_OF_RANGE_MICROS);
      }
    }

    @Override
    public Object decode(byte[] b, int at, int len) {
      long micros = readLong(b, at);
      if (micros == Long.MAX_VALUE) {
        return LocalDateTime.MAX;
      }
      if (micros == Long.MIN_VALUE) {
        return LocalDateTime.MIN;
      }
      return LocalDateTime.ofEpochSecond(
          Math.floorDiv(micros, 1_000_000L) + PG_EPOCH_SECONDS,
          (int) Math.floorMod(micros, 1_000_000L) * 1000,
          ZoneOffset.UTC);
    }
  },
  TIMESTAMPTZ {
    @Override
    public boolean takes(ColumnType t) {
      return t == ColumnType.TIMESTAMP_TZ;
    }

    @Override
    public void write(CopyBuffer out, Object v) {
      out.writeInt(8);
      if (v.equals(OffsetDateTime.MAX)) {
        out.writeLong(Long.MAX_VALUE);
      } else if (v.equals(OffsetDateTime.MIN)) {
        out.writeLong(Long.MIN_VALUE);
      } else {
        OffsetDateTime t = (OffsetDateTime) v;
        out.writeLong(
            inYears(t.getYear(), 294_275)
                ? micros(t.toEpochSecond(), t.getNano())
                : OUT_OF_RANGE_MICROS);
      }
    }

    @Override
    public Object decode(byte[] b, int at, int len) {
      long micros = readLong(b, at);
      if (micros == Long.MAX_VALUE) {
        return OffsetDateTime.MAX;
      }
      if (micros == Long.MIN_VALUE) {
        return OffsetDateTime.MIN;
      }
      return OffsetDateTime.ofInstant(
          Instant.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L) + PG_EPOCH_SECONDS,
              Math.floorMod(micros, 1_000_000L) * 1000),
          ZoneOffset.UTC);
    }
  },
  /**
   * Microseconds since midnight; {@code 24:00:00} is {@code LocalTime.MAX}, as the driver reads it.
   */
  TIME {
    @Override
    public boolean takes(ColumnType t) {
      return t == ColumnType.TIME;
    }

    @Override
    public void write(CopyBuffer out, Object v) {
      out.writeInt(8);
      out.writeLong((((LocalTime) v).toNanoOfDay() + 500) / 1000);
    }

    @Override
    public Object decode(byte[] b, int at, int len) {
      long micros = readLong(b, at);
      return micros >= 86_400_000_000L ? LocalTime.MAX : LocalTime.ofNanoOfDay(micros * 1000);
    }
  };

  private static final long PG_EPOCH_DAYS = 10_957;
  private static final long PG_EPOCH_SECONDS = PG_EPOCH_DAYS * 86_400L;

  /**
   * A {@code numeric} NaN or infinity: no digits, weight 0, the special sign ({@code 0xC000} NaN,
   * {@code 0xD000} +Infinity, {@code 0xF000} -Infinity; infinities need PostgreSQL 14), scale 0.
   */
  static void writeNonFinite(CopyBuffer out, double v) {
    if (!Double.isNaN(v) && !Double.isInfinite(v)) {
      throw new IllegalArgumentException("not a special numeric value: " + v);
    }
    out.writeInt(8);
    out.writeShort(0);
    out.writeShort(0);
    out.writeShort(Double.isNaN(v) ? 0xC000 : v > 0 ? 0xD000 : 0xF000);
    out.writeShort(0);
  }

  /**
   * Beyond the server's last date and timestamp but not its infinity: refused with "out of range"
   * (SQLState 22008).
   */
  private static final int OUT_OF_RANGE_DAYS = Integer.MAX_VALUE - 1;

  private static final long OUT_OF_RANGE_MICROS = Long.MAX_VALUE - 1;

  /**
   * Whether values of type {@code t} have this field's binary form, and this field's values are of
   * such a type.
   */
  public abstract boolean takes(ColumnType t);

  /**
   * Writes the field for {@code v} (never null, of a type the field takes): its length, then its
   * bytes.
   */
  public abstract void write(CopyBuffer out, Object v);

  /**
   * The value of the field's {@code len} bytes at {@code at} (never NULL, which the caller
   * handles).
   */
  public abstract Object decode(byte[] b, int at, int len);

  /**
   * The field for a PostgreSQL type name ({@code pg_type.typname}), or null when it has none here.
   */
  @Nullable
  public static PgBinaryField forTypeName(String typname) {
    switch (typname.toLowerCase(Locale.ROOT)) {
      case "int8":
        return INT8;
      case "int4":
        return INT4;
      case "int2":
        return INT2;
      case "numeric":
        return NUMERIC;
      case "float8":
        return FLOAT8;
      case "float4":
        return FLOAT4;
      case "bool":
        return BOOL;
      case "text":
      case "varchar":
      case "bpchar":
      case "json":
        return TEXT;
      case "jsonb":
        return JSONB;
      case "bytea":
        return BYTEA;
      case "uuid":
        return UUID_FIELD;
      case "date":
        return DATE;
      case "timestamp":
        return TIMESTAMP;
      case "timestamptz":
        return TIMESTAMPTZ;
      case "time":
        return TIME;
      default:
        return null;
    }
  }

  /**
   * The field of a column: its type's, or text's for a PostgreSQL enum (its binary form is its
   * label); null when it has none.
   */
  public static PgBinaryField forColumn(Column column) {
    return column.pgEnum() ? TEXT : forTypeName(column.typeName());
  }

  /**
   * The fields of these columns in order, or empty when a column has none that holds its type's
   * values.
   */
  public static Optional<PgBinaryField[]> forColumns(List<Column> columns) {
    PgBinaryField[] fields = new PgBinaryField[columns.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = forColumn(columns.get(i));
      if (fields[i] == null || !fields[i].takes(columns.get(i).type())) {
        return Optional.empty();
      }
    }
    return Optional.of(fields);
  }

  public static int readShort(byte[] b, int at) {
    return (short) (((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF));
  }

  public static int readInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }

  public static long readLong(byte[] b, int at) {
    return ((long) readInt(b, at) << 32) | (readInt(b, at + 4) & 0xFFFFFFFFL);
  }

  /**
   * Years the server's range surely holds; a value outside is sent as one the server refuses as out
   * of range.
   */
  private static boolean inYears(int year, int last) {
    return year >= -4_712 && year <= last;
  }

  private static long micros(long epochSecond, int nano) {
    return (epochSecond - PG_EPOCH_SECONDS) * 1_000_000L + (nano + 500) / 1000;
  }
}

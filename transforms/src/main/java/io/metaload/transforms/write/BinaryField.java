package io.metaload.transforms.write;

import io.metaload.metadata.schema.ColumnType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;
import javax.annotation.Nullable;
import org.postgresql.util.ByteConverter;

/**
 * One PostgreSQL column type's binary COPY field: which value types it takes, and their bytes.
 * Only types whose binary form is fixed and documented are here; a batch with a column of any
 * other type, or of a value type the field does not take, goes as text.
 */
enum BinaryField {
  INT8 {
    @Override
    boolean takes(ColumnType t) {
      return t == ColumnType.BIGINT || t == ColumnType.INTEGER || t == ColumnType.SMALLINT;
    }

    @Override
    void write(CopyBuffer out, Object v) {
      out.writeInt(8);
      out.writeLong(((Number) v).longValue());
    }
  },
  INT4 {
    @Override
    boolean takes(ColumnType t) {
      return t == ColumnType.INTEGER || t == ColumnType.SMALLINT;
    }

    @Override
    void write(CopyBuffer out, Object v) {
      out.writeInt(4);
      out.writeInt(((Number) v).intValue());
    }
  },
  INT2 {
    @Override
    boolean takes(ColumnType t) {
      return t == ColumnType.SMALLINT;
    }

    @Override
    void write(CopyBuffer out, Object v) {
      out.writeInt(2);
      out.writeShort(((Number) v).shortValue());
    }
  },
  NUMERIC {
    @Override
    boolean takes(ColumnType t) {
      return t == ColumnType.DECIMAL || t == ColumnType.BIGINT || t == ColumnType.INTEGER || t == ColumnType.SMALLINT;
    }

    @Override
    void write(CopyBuffer out, Object v) {
      BigDecimal d = v instanceof BigDecimal ? (BigDecimal) v : BigDecimal.valueOf(((Number) v).longValue());
      if (!NumericDigits.write(out, d)) {
        byte[] b = ByteConverter.numeric(d);
        out.writeInt(b.length);
        out.write(b, 0, b.length);
      }
    }
  },
  FLOAT8 {
    @Override
    boolean takes(ColumnType t) {
      return t == ColumnType.DOUBLE || t == ColumnType.REAL;
    }

    @Override
    void write(CopyBuffer out, Object v) {
      out.writeInt(8);
      out.writeLong(Double.doubleToRawLongBits(((Number) v).doubleValue()));
    }
  },
  FLOAT4 {
    @Override
    boolean takes(ColumnType t) {
      return t == ColumnType.REAL;
    }

    @Override
    void write(CopyBuffer out, Object v) {
      out.writeInt(4);
      out.writeInt(Float.floatToRawIntBits((Float) v));
    }
  },
  BOOL {
    @Override
    boolean takes(ColumnType t) {
      return t == ColumnType.BOOLEAN;
    }

    @Override
    void write(CopyBuffer out, Object v) {
      out.writeInt(1);
      out.writeByte((Boolean) v ? 1 : 0);
    }
  },
  /** text, varchar, bpchar and json: the UTF-8 bytes, checked and length-limited by the server as for text input. */
  TEXT {
    @Override
    boolean takes(ColumnType t) {
      return t == ColumnType.STRING || t == ColumnType.JSON || t == ColumnType.TEXT_FORM;
    }

    @Override
    void write(CopyBuffer out, Object v) {
      byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b, 0, b.length);
    }
  },
  /** jsonb: a format version byte (1), then the document's text. */
  JSONB {
    @Override
    boolean takes(ColumnType t) {
      return t == ColumnType.JSON || t == ColumnType.STRING;
    }

    @Override
    void write(CopyBuffer out, Object v) {
      byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length + 1);
      out.writeByte(1);
      out.write(b, 0, b.length);
    }
  },
  BYTEA {
    @Override
    boolean takes(ColumnType t) {
      return t == ColumnType.BYTES;
    }

    @Override
    void write(CopyBuffer out, Object v) {
      byte[] b = (byte[]) v;
      out.writeInt(b.length);
      out.write(b, 0, b.length);
    }
  },
  UUID_FIELD {
    @Override
    boolean takes(ColumnType t) {
      return t == ColumnType.UUID;
    }

    @Override
    void write(CopyBuffer out, Object v) {
      out.writeInt(16);
      out.writeLong(((UUID) v).getMostSignificantBits());
      out.writeLong(((UUID) v).getLeastSignificantBits());
    }
  },
  /** Days since 2000-01-01; {@code LocalDate.MAX}/{@code MIN} are {@code infinity}/{@code -infinity}. */
  DATE {
    @Override
    boolean takes(ColumnType t) {
      return t == ColumnType.DATE;
    }

    @Override
    void write(CopyBuffer out, Object v) {
      out.writeInt(4);
      if (v.equals(LocalDate.MAX)) {
        out.writeInt(Integer.MAX_VALUE);
      } else if (v.equals(LocalDate.MIN)) {
        out.writeInt(Integer.MIN_VALUE);
      } else {
        LocalDate d = (LocalDate) v;
        out.writeInt(inYears(d.getYear(), 5_874_896) ? (int) (d.toEpochDay() - PG_EPOCH_DAYS) : OUT_OF_RANGE_DAYS);
      }
    }
  },
  /** Microseconds since 2000-01-01 00:00, nanoseconds rounded half up as the server rounds text input. */
  TIMESTAMP {
    @Override
    boolean takes(ColumnType t) {
      return t == ColumnType.TIMESTAMP;
    }

    @Override
    void write(CopyBuffer out, Object v) {
      out.writeInt(8);
      if (v.equals(LocalDateTime.MAX)) {
        out.writeLong(Long.MAX_VALUE);
      } else if (v.equals(LocalDateTime.MIN)) {
        out.writeLong(Long.MIN_VALUE);
      } else {
        LocalDateTime t = (LocalDateTime) v;
        out.writeLong(inYears(t.getYear(), 294_275)
            ? micros(t.toLocalDate().toEpochDay() * 86_400L + t.toLocalTime().toSecondOfDay(), t.getNano()) : OUT_OF_RANGE_MICROS);
      }
    }
  },
  TIMESTAMPTZ {
    @Override
    boolean takes(ColumnType t) {
      return t == ColumnType.TIMESTAMP_TZ;
    }

    @Override
    void write(CopyBuffer out, Object v) {
      out.writeInt(8);
      if (v.equals(OffsetDateTime.MAX)) {
        out.writeLong(Long.MAX_VALUE);
      } else if (v.equals(OffsetDateTime.MIN)) {
        out.writeLong(Long.MIN_VALUE);
      } else {
        OffsetDateTime t = (OffsetDateTime) v;
        out.writeLong(inYears(t.getYear(), 294_275) ? micros(t.toEpochSecond(), t.getNano()) : OUT_OF_RANGE_MICROS);
      }
    }
  },
  /** Microseconds since midnight. */
  TIME {
    @Override
    boolean takes(ColumnType t) {
      return t == ColumnType.TIME;
    }

    @Override
    void write(CopyBuffer out, Object v) {
      out.writeInt(8);
      out.writeLong((((LocalTime) v).toNanoOfDay() + 500) / 1000);
    }
  };

  private static final long PG_EPOCH_DAYS = 10_957;
  private static final long PG_EPOCH_SECONDS = PG_EPOCH_DAYS * 86_400L;
  /** Beyond the server's last date and timestamp but not its infinity: refused with "out of range" (SQLState 22008). */
  private static final int OUT_OF_RANGE_DAYS = Integer.MAX_VALUE - 1;
  private static final long OUT_OF_RANGE_MICROS = Long.MAX_VALUE - 1;

  /** Whether values of type {@code t} have this field's binary form. */
  abstract boolean takes(ColumnType t);

  /** Writes the field: its length, then its bytes. */
  abstract void write(CopyBuffer out, Object v);

  /** The field for a PostgreSQL type name ({@code pg_type.typname}), or null when it has none here. */
  @Nullable
  static BinaryField forTypeName(String typname) {
    switch (typname.toLowerCase(Locale.ROOT)) {
      case "int8": return INT8;
      case "int4": return INT4;
      case "int2": return INT2;
      case "numeric": return NUMERIC;
      case "float8": return FLOAT8;
      case "float4": return FLOAT4;
      case "bool": return BOOL;
      case "text": case "varchar": case "bpchar": case "json": return TEXT;
      case "jsonb": return JSONB;
      case "bytea": return BYTEA;
      case "uuid": return UUID_FIELD;
      case "date": return DATE;
      case "timestamp": return TIMESTAMP;
      case "timestamptz": return TIMESTAMPTZ;
      case "time": return TIME;
      default: return null;
    }
  }

  /** Years the server's range surely holds; a value outside is sent as one the server refuses as out of range. */
  private static boolean inYears(int year, int last) {
    return year >= -4_712 && year <= last;
  }

  private static long micros(long epochSecond, int nano) {
    return (epochSecond - PG_EPOCH_SECONDS) * 1_000_000L + (nano + 500) / 1000;
  }
}

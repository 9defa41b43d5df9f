package io.metaload.transforms.read;

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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.postgresql.util.ByteConverter;

/**
 * One PostgreSQL type's binary COPY field decoded into the Java value its {@link ColumnType}
 * uses, the same value the JDBC driver returns for it. Types without a decoder here are read
 * through JDBC.
 */
enum CopyFieldDecoder {
  INT8(ColumnType.BIGINT) {
    @Override
    Object decode(byte[] b, int at, int len) {
      return readLong(b, at);
    }
  },
  INT4(ColumnType.INTEGER) {
    @Override
    Object decode(byte[] b, int at, int len) {
      return readInt(b, at);
    }
  },
  INT2(ColumnType.SMALLINT) {
    @Override
    Object decode(byte[] b, int at, int len) {
      return (short) readShort(b, at);
    }
  },
  NUMERIC(ColumnType.DECIMAL) {
    @Override
    Object decode(byte[] b, int at, int len) {
      BigDecimal common = commonDecimal(b, at);
      if (common != null) {
        return common;
      }
      Number n = ByteConverter.numeric(b, at, len);
      if (!(n instanceof BigDecimal)) {
        throw new IllegalStateException("numeric value " + n + " has no decimal form; only a PostgreSQL to PostgreSQL "
            + "pass-through moves it");
      }
      return n;
    }
  },
  FLOAT8(ColumnType.DOUBLE) {
    @Override
    Object decode(byte[] b, int at, int len) {
      return Double.longBitsToDouble(readLong(b, at));
    }
  },
  FLOAT4(ColumnType.REAL) {
    @Override
    Object decode(byte[] b, int at, int len) {
      return Float.intBitsToFloat(readInt(b, at));
    }
  },
  BOOL(ColumnType.BOOLEAN) {
    @Override
    Object decode(byte[] b, int at, int len) {
      return b[at] != 0;
    }
  },
  TEXT(ColumnType.STRING) {
    @Override
    Object decode(byte[] b, int at, int len) {
      return new String(b, at, len, StandardCharsets.UTF_8);
    }
  },
  JSON(ColumnType.JSON) {
    @Override
    Object decode(byte[] b, int at, int len) {
      return new String(b, at, len, StandardCharsets.UTF_8);
    }
  },
  /** A format version byte, then the document's text. */
  JSONB(ColumnType.JSON) {
    @Override
    Object decode(byte[] b, int at, int len) {
      if (b[at] != 1) {
        throw new IllegalStateException("jsonb binary format version " + b[at] + " is not 1");
      }
      return new String(b, at + 1, len - 1, StandardCharsets.UTF_8);
    }
  },
  BYTEA(ColumnType.BYTES) {
    @Override
    Object decode(byte[] b, int at, int len) {
      return java.util.Arrays.copyOfRange(b, at, at + len);
    }
  },
  UUID_FIELD(ColumnType.UUID) {
    @Override
    Object decode(byte[] b, int at, int len) {
      return new UUID(readLong(b, at), readLong(b, at + 8));
    }
  },
  DATE(ColumnType.DATE) {
    @Override
    Object decode(byte[] b, int at, int len) {
      int days = readInt(b, at);
      if (days == Integer.MAX_VALUE) {
        return LocalDate.MAX;
      }
      return days == Integer.MIN_VALUE ? LocalDate.MIN : LocalDate.ofEpochDay(days + PG_EPOCH_DAYS);
    }
  },
  TIMESTAMP(ColumnType.TIMESTAMP) {
    @Override
    Object decode(byte[] b, int at, int len) {
      long micros = readLong(b, at);
      if (micros == Long.MAX_VALUE) {
        return LocalDateTime.MAX;
      }
      if (micros == Long.MIN_VALUE) {
        return LocalDateTime.MIN;
      }
      return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L) + PG_EPOCH_SECONDS,
          (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
    }
  },
  TIMESTAMPTZ(ColumnType.TIMESTAMP_TZ) {
    @Override
    Object decode(byte[] b, int at, int len) {
      long micros = readLong(b, at);
      if (micros == Long.MAX_VALUE) {
        return OffsetDateTime.MAX;
      }
      if (micros == Long.MIN_VALUE) {
        return OffsetDateTime.MIN;
      }
      return OffsetDateTime.ofInstant(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L) + PG_EPOCH_SECONDS,
          Math.floorMod(micros, 1_000_000L) * 1000), ZoneOffset.UTC);
    }
  },
  /** Microseconds since midnight; {@code 24:00:00} is {@code LocalTime.MAX}, as the driver reads it. */
  TIME(ColumnType.TIME) {
    @Override
    Object decode(byte[] b, int at, int len) {
      long micros = readLong(b, at);
      return micros >= 86_400_000_000L ? LocalTime.MAX : LocalTime.ofNanoOfDay(micros * 1000);
    }
  };

  private static final long PG_EPOCH_DAYS = 10_957;
  private static final long PG_EPOCH_SECONDS = PG_EPOCH_DAYS * 86_400L;

  private final ColumnType type;

  CopyFieldDecoder(ColumnType type) {
    this.type = type;
  }

  /** The value of the field's {@code len} bytes at {@code at} (never NULL, which the caller handles). */
  abstract Object decode(byte[] b, int at, int len);

  /** Decoders for these source columns in order, or empty when a column has none that gives its type's values. */
  static Optional<CopyFieldDecoder[]> forColumns(List<Column> columns) {
    CopyFieldDecoder[] decoders = new CopyFieldDecoder[columns.size()];
    for (int i = 0; i < decoders.length; i++) {
      decoders[i] = forTypeName(columns.get(i).typeName());
      if (decoders[i] == null || decoders[i].type != columns.get(i).type()) {
        return Optional.empty();
      }
    }
    return Optional.of(decoders);
  }

  private static CopyFieldDecoder forTypeName(String typname) {
    switch (typname) {
      case "int8": return INT8;
      case "int4": return INT4;
      case "int2": return INT2;
      case "numeric": return NUMERIC;
      case "float8": return FLOAT8;
      case "float4": return FLOAT4;
      case "bool": return BOOL;
      case "text": case "varchar": case "bpchar": return TEXT;
      case "json": return JSON;
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

  /**
   * A binary numeric of at most four base-10000 digit groups between its first digit (or the
   * decimal point) and its scale, built from a long; null for NaN, infinities and longer values.
   */
  private static BigDecimal commonDecimal(byte[] b, int at) {
    int count = readShort(b, at);
    int weight = readShort(b, at + 2);
    int sign = readShort(b, at + 4) & 0xFFFF;
    int scale = readShort(b, at + 6);
    if (sign != 0 && sign != NEGATIVE) {
      return null;
    }
    if (count == 0) {
      return BigDecimal.valueOf(0, scale);
    }
    int fractionGroups = (scale + 3) / 4;
    int lastExponent = -fractionGroups;
    if (weight - (count - 1) < lastExponent || Math.max(weight, 0) - lastExponent + 1 > 4) {
      return null;
    }
    long unscaled = 0;
    for (int exponent = Math.max(weight, 0); exponent >= lastExponent; exponent--) {
      int i = weight - exponent;
      unscaled = unscaled * 10_000 + (i >= 0 && i < count ? readShort(b, at + 8 + 2 * i) : 0);
    }
    long unit = POW10[fractionGroups * 4 - scale];
    if (unscaled % unit != 0) {
      return null;
    }
    unscaled /= unit;
    return BigDecimal.valueOf(sign == NEGATIVE ? -unscaled : unscaled, scale);
  }

  private static final int NEGATIVE = 0x4000;
  private static final long[] POW10 = {1, 10, 100, 1000};

  static int readShort(byte[] b, int at) {
    return (short) (((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF));
  }

  static int readInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
  }

  static long readLong(byte[] b, int at) {
    return ((long) readInt(b, at) << 32) | (readInt(b, at + 4) & 0xFFFFFFFFL);
  }
}

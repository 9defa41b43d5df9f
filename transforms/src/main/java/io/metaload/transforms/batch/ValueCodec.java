package io.metaload.transforms.batch;

import io.metaload.metadata.schema.ColumnType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The wire form of one non-null value of a {@link ColumnType} inside an encoded {@link RowBatch}:
 * fixed-width numbers, length-prefixed UTF-8 text and bytes, dates as epoch days, timestamps as
 * epoch seconds and nanos (UTC). A {@code DECIMAL} that is NaN or an infinity travels as a scale no
 * number has ({@link Integer#MIN_VALUE}) followed by the {@code double}.
 */
final class ValueCodec {
  private static final int NON_FINITE_SCALE = Integer.MIN_VALUE;

  private ValueCodec() {}

  static void encode(ColumnType type, DataOutput out, Object v) throws IOException {
    switch (type) {
      case BIGINT -> out.writeLong((Long) v);
      case INTEGER -> out.writeInt((Integer) v);
      case SMALLINT -> out.writeShort((Short) v);
      case DECIMAL -> encodeDecimal(out, v);
      case DOUBLE -> out.writeDouble((Double) v);
      case REAL -> out.writeFloat((Float) v);
      case BOOLEAN -> out.writeBoolean((Boolean) v);
      case STRING, JSON, TEXT_FORM ->
          writeBytes(out, ((String) v).getBytes(StandardCharsets.UTF_8));
      case DATE -> out.writeLong(((LocalDate) v).toEpochDay());
      case TIMESTAMP -> {
        LocalDateTime t = (LocalDateTime) v;
        out.writeLong(t.toEpochSecond(ZoneOffset.UTC));
        out.writeInt(t.getNano());
      }
      case TIMESTAMP_TZ -> {
        OffsetDateTime t = (OffsetDateTime) v;
        out.writeLong(t.toEpochSecond());
        out.writeInt(t.getNano());
      }
      case UUID -> {
        UUID u = (UUID) v;
        out.writeLong(u.getMostSignificantBits());
        out.writeLong(u.getLeastSignificantBits());
      }
      case TIME -> out.writeLong(((LocalTime) v).toNanoOfDay());
      case BYTES -> writeBytes(out, (byte[]) v);
      default -> throw new IllegalArgumentException("no wire form for values of type " + type);
    }
  }

  static Object decode(ColumnType type, DataInput in) throws IOException {
    return switch (type) {
      case BIGINT -> in.readLong();
      case INTEGER -> in.readInt();
      case SMALLINT -> in.readShort();
      case DECIMAL -> decodeDecimal(in);
      case DOUBLE -> in.readDouble();
      case REAL -> in.readFloat();
      case BOOLEAN -> in.readBoolean();
      case STRING, JSON, TEXT_FORM -> new String(readBytes(in), StandardCharsets.UTF_8);
      case DATE -> LocalDate.ofEpochDay(in.readLong());
      case TIMESTAMP -> {
        long seconds = in.readLong();
        yield LocalDateTime.ofEpochSecond(seconds, in.readInt(), ZoneOffset.UTC);
      }
      case TIMESTAMP_TZ -> decodeInstant(in);
      case UUID -> new UUID(in.readLong(), in.readLong());
      case TIME -> LocalTime.ofNanoOfDay(in.readLong());
      case BYTES -> readBytes(in);
    };
  }

  private static void encodeDecimal(DataOutput out, Object v) throws IOException {
    if (v instanceof Double d) {
      out.writeInt(NON_FINITE_SCALE);
      out.writeDouble(d);
      return;
    }
    BigDecimal d = (BigDecimal) v;
    out.writeInt(d.scale());
    byte[] unscaled = d.unscaledValue().toByteArray();
    out.writeShort(unscaled.length);
    out.write(unscaled);
  }

  private static Object decodeDecimal(DataInput in) throws IOException {
    int scale = in.readInt();
    if (scale == NON_FINITE_SCALE) {
      return in.readDouble();
    }
    byte[] unscaled = new byte[in.readShort()];
    in.readFully(unscaled);
    return new BigDecimal(new BigInteger(unscaled), scale);
  }

  /** PostgreSQL's {@code infinity} and {@code -infinity} come back as the type's MAX and MIN. */
  private static OffsetDateTime decodeInstant(DataInput in) throws IOException {
    Instant instant = Instant.ofEpochSecond(in.readLong(), in.readInt());
    if (instant.equals(OffsetDateTime.MAX.toInstant())) {
      return OffsetDateTime.MAX;
    }
    if (instant.equals(OffsetDateTime.MIN.toInstant())) {
      return OffsetDateTime.MIN;
    }
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static void writeBytes(DataOutput out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInput in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }
}

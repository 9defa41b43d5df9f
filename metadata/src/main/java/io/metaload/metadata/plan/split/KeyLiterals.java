package io.metaload.metadata.plan.split;

import io.metaload.metadata.schema.ColumnType;
import java.math.BigDecimal;
import java.util.HexFormat;

/**
 * Key values as the text a plan stores them in and reads them back from: exactly, whatever the
 * value (strings keep every space and character, bytes are hexadecimal). Only the database compares
 * key values; this class never orders them.
 */
public final class KeyLiterals {
  private KeyLiterals() {}

  /** The text of a non-null key value of {@code type}. */
  public static String encode(ColumnType type, Object value) {
    if (type == ColumnType.BYTES) {
      return HexFormat.of().formatHex((byte[]) value);
    }
    if (value instanceof BigDecimal) {
      return ((BigDecimal) value).toPlainString();
    }
    return value.toString();
  }

  /** The value {@link #encode} wrote. */
  public static Object decode(ColumnType type, String text) {
    if (type == ColumnType.BYTES) {
      return HexFormat.of().parseHex(text);
    }
    return type.parse(text);
  }
}

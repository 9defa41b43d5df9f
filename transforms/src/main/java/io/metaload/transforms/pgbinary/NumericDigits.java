package io.metaload.transforms.pgbinary;

import java.math.BigDecimal;

/**
 * PostgreSQL's binary {@code numeric} for the common case, base-10000 digit groups aligned on the
 * decimal point, written and read with long arithmetic instead of the arbitrary-precision
 * arithmetic of the driver's general {@code ByteConverter}, which serves every other value.
 */
final class NumericDigits {
  private static final long[] POW10 = new long[19];
  private static final int NEGATIVE = 0x4000;

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private NumericDigits() {}

  /**
   * Writes {@code d} as a whole field (length, header, digits); false, writing nothing, when it is
   * not the common case.
   */
  static boolean write(CopyBuffer out, BigDecimal d) {
    int scale = d.scale();
    if (scale < 0 || scale > 16 || d.precision() > 18) {
      return false;
    }
    long unscaled = d.movePointRight(scale).longValueExact();
    int sign = unscaled < 0 ? NEGATIVE : 0;
    long magnitude = Math.abs(unscaled);
    long whole = magnitude / POW10[scale];
    int fractionGroups = (scale + 3) / 4;
    long fraction = (magnitude % POW10[scale]) * POW10[fractionGroups * 4 - scale];
    int[] groups = new int[9];
    int wholeGroups = 0;
    for (long w = whole; w > 0; w /= 10_000) {
      wholeGroups++;
    }
    for (int g = wholeGroups - 1; g >= 0; g--) {
      groups[g] = (int) (whole % 10_000);
      whole /= 10_000;
    }
    for (int g = fractionGroups - 1; g >= 0; g--) {
      groups[wholeGroups + g] = (int) (fraction % 10_000);
      fraction /= 10_000;
    }
    int first = 0;
    int end = wholeGroups + fractionGroups;
    while (first < end && groups[first] == 0) {
      first++;
    }
    while (end > first && groups[end - 1] == 0) {
      end--;
    }
    int weight = wholeGroups - 1 - first;
    int count = end - first;
    if (count == 0) {
      weight = 0;
      sign = 0;
    }
    out.writeInt(8 + 2 * count);
    out.writeShort(count);
    out.writeShort(weight);
    out.writeShort(sign);
    out.writeShort(scale);
    for (int g = first; g < end; g++) {
      out.writeShort(groups[g]);
    }
    return true;
  }

  /**
   * A binary numeric of at most four base-10000 digit groups between its first digit (or the
   * decimal point) and its scale, built from a long; null for NaN, infinities and longer values.
   */
  static BigDecimal read(byte[] b, int at) {
    int count = PgBinaryField.readShort(b, at);
    int weight = PgBinaryField.readShort(b, at + 2);
    int sign = PgBinaryField.readShort(b, at + 4) & 0xFFFF;
    int scale = PgBinaryField.readShort(b, at + 6);
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
      unscaled =
          unscaled * 10_000
              + (i >= 0 && i < count ? PgBinaryField.readShort(b, at + 8 + 2 * i) : 0);
    }
    long unit = POW10[fractionGroups * 4 - scale];
    if (unscaled % unit != 0) {
      return null;
    }
    unscaled /= unit;
    return BigDecimal.valueOf(sign == NEGATIVE ? -unscaled : unscaled, scale);
  }
}

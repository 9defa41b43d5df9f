package io.metaload.transforms.write;

import java.math.BigDecimal;

/**
 * PostgreSQL's binary {@code numeric} for the common case, a decimal of at most 18 digits and a
 * scale of 0 to 16: base-10000 digit groups aligned on the decimal point, without the
 * arbitrary-precision arithmetic the general encoder needs.
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

  /** Writes {@code d} as a whole field (length, header, digits); false, writing nothing, when it is not the common case. */
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
}

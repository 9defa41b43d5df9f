package io.metaload.metadata.model;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations definitions use: {@code 500ms}, {@code 90s}, {@code 15m}, {@code 2h}, {@code
 * 3d}, or ISO-8601 ({@code PT2H}).
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * The duration {@code text} spells; {@link IllegalArgumentException} saying what is accepted
   * otherwise.
   */
  public static Duration parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(n);
        case "s":
          return Duration.ofSeconds(n);
        case "m":
          return Duration.ofMinutes(n);
        case "h":
          return Duration.ofHours(n);
        default:
          return Duration.ofDays(n);
      }
    }
    try {
      Duration d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
      if (d.isNegative()) {
        throw new IllegalArgumentException("'" + text + "' is negative");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration like 90s, 15m, 2h, 3d or PT2H");
    }
  }

  /** True when {@code text} is a plain non-negative integer (an integer column's lookback). */
  public static boolean isCount(String text) {
    return text.trim().matches("\\d{1,18}");
  }
}

package io.metaload.metadata.contract;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.Durations;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * One quality check of a data contract, parsed from its text:
 *
 * <pre>
 * row_count &gt; 0                         null_share(user_id) &lt; 0.01
 * min(amount) &gt;= 0                      max(amount) &lt;= 100000
 * unique(order_id)                       unique(tenant_id, order_id)
 * accepted_values(status, [open, paid])  freshness(updated_at) &lt; 2h
 * </pre>
 */
@AutoValue
public abstract class QualityCheck implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a check measures. */
  public enum Kind {
    ROW_COUNT,
    NULL_SHARE,
    MIN,
    MAX,
    UNIQUE,
    ACCEPTED_VALUES,
    FRESHNESS
  }

  private static final String OP = "(<=|>=|==|=|!=|<|>)";
  private static final String NAME = "([A-Za-z_][A-Za-z0-9_]*)";
  private static final Pattern ROW_COUNT = Pattern.compile("row_count\\s*" + OP + "\\s*(\\S+)");
  private static final Pattern NULL_SHARE =
      Pattern.compile("null_share\\(\\s*" + NAME + "\\s*\\)\\s*" + OP + "\\s*(\\S+)");
  private static final Pattern MIN_MAX =
      Pattern.compile("(min|max)\\(\\s*" + NAME + "\\s*\\)\\s*" + OP + "\\s*(.+)");
  private static final Pattern UNIQUE = Pattern.compile("unique\\(([A-Za-z0-9_,\\s]+)\\)");
  private static final Pattern ACCEPTED =
      Pattern.compile("accepted_values\\(\\s*" + NAME + "\\s*,\\s*\\[(.*)\\]\\s*\\)");
  private static final Pattern FRESHNESS =
      Pattern.compile("freshness\\(\\s*" + NAME + "\\s*\\)\\s*(<|<=)\\s*(\\S+)");

  /** The check as written. */
  public abstract String text();

  public abstract Kind kind();

  /** The columns it reads; empty for {@code row_count}. */
  public abstract List<String> columns();

  /** The comparison ({@code <}, {@code >=}, ...); null for unique and accepted values. */
  @Nullable
  public abstract String operator();

  /**
   * The bound (a number, a literal of the column's type, or a duration); for accepted values the
   * values.
   */
  public abstract List<String> values();

  /** Parses a check, or a bad-config error naming {@code where} and showing the forms there are. */
  public static QualityCheck parse(String where, String text) {
    String t = text.trim();
    Matcher m;
    try {
      if ((m = ROW_COUNT.matcher(t)).matches()) {
        number(m.group(2));
        return of(t, Kind.ROW_COUNT, List.of(), m.group(1), List.of(m.group(2)));
      }
      if ((m = NULL_SHARE.matcher(t)).matches()) {
        number(m.group(3));
        return of(t, Kind.NULL_SHARE, List.of(m.group(1)), m.group(2), List.of(m.group(3)));
      }
      if ((m = MIN_MAX.matcher(t)).matches()) {
        return of(
            t,
            m.group(1).equals("min") ? Kind.MIN : Kind.MAX,
            List.of(m.group(2)),
            m.group(3),
            List.of(unquote(m.group(4))));
      }
      if ((m = UNIQUE.matcher(t)).matches()) {
        List<String> columns = new ArrayList<>();
        for (String c : m.group(1).split(",")) {
          if (!c.isBlank()) {
            columns.add(c.trim());
          }
        }
        return of(t, Kind.UNIQUE, columns, null, List.of());
      }
      if ((m = ACCEPTED.matcher(t)).matches()) {
        List<String> values = new ArrayList<>();
        for (String v : m.group(2).split(",")) {
          if (!v.isBlank()) {
            values.add(unquote(v));
          }
        }
        return of(t, Kind.ACCEPTED_VALUES, List.of(m.group(1)), null, values);
      }
      if ((m = FRESHNESS.matcher(t)).matches()) {
        Durations.parse(m.group(3));
        return of(t, Kind.FRESHNESS, List.of(m.group(1)), m.group(2), List.of(m.group(3)));
      }
    } catch (IllegalArgumentException e) {
      throw MetaloadException.badConfig(where + ": check '" + t + "': " + e.getMessage());
    }
    throw MetaloadException.badConfig(
        where
            + ": check '"
            + t
            + "' is not one of: row_count > N, null_share(col) < x, min(col) >= v, "
            + "max(col) <= v, unique(col, ...), accepted_values(col, [a, b]), freshness(col) < 2h");
  }

  private static QualityCheck of(
      String text, Kind kind, List<String> columns, String operator, List<String> values) {
    return new AutoValue_QualityCheck(
        text,
        kind,
        List.copyOf(columns),
        operator == null ? null : operator.replace("==", "="),
        List.copyOf(values));
  }

  private static void number(String s) {
    try {
      new BigDecimal(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a number");
    }
  }

  private static String unquote(String s) {
    String v = s.trim();
    return v.length() >= 2
            && (v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\""))
        ? v.substring(1, v.length() - 1)
        : v;
  }

  /** Whether {@code actual op bound} holds, for comparable values of one type. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public boolean holds(Comparable actual, Comparable bound) {
    int c = actual.compareTo(bound);
    switch (operator()) {
      case "<":
        return c < 0;
      case "<=":
        return c <= 0;
      case ">":
        return c > 0;
      case ">=":
        return c >= 0;
      case "!=":
        return c != 0;
      default:
        return c == 0;
    }
  }
}

package io.metaload.transforms.flowgraph.expr;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What expressions can call. Operators are translated to the overloads at the top, so that {@code
 * ==} compares values (never references), numbers of different types compare by value, and a
 * comparison or arithmetic with a NULL operand is NULL (SQL's unknown): a filter then drops the row
 * and a computed column is NULL. The named functions after them are the ones users call; {@link
 * #CALLABLE} lists them.
 */
public final class Functions {
  /** Function names an expression may call. */
  public static final Set<String> CALLABLE =
      Set.of(
          "isNull",
          "notNull",
          "coalesce",
          "lower",
          "upper",
          "trim",
          "length",
          "substr",
          "concat",
          "contains",
          "startsWith",
          "endsWith",
          "matches",
          "replace",
          "abs",
          "round",
          "date",
          "timestamp",
          "year",
          "month",
          "day",
          "daysBetween",
          "dateOf",
          "str",
          "toLong",
          "toDecimal",
          "toDouble",
          "oneOf");

  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private Functions() {}

  /** Thrown for an operand that is NULL; an expression that throws it evaluates to NULL. */
  public static final class NullOperand extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final NullOperand INSTANCE = new NullOperand();

    private NullOperand() {
      super("NULL operand", null, false, false);
    }
  }

  private static <T> T nonNull(T v) {
    if (v == null) {
      throw NullOperand.INSTANCE;
    }
    return v;
  }

  // Comparisons.

  public static boolean eq(Number a, Number b) {
    return compare(a, b) == 0;
  }

  public static boolean eq(String a, String b) {
    return nonNull(a).equals(nonNull(b));
  }

  public static boolean eq(Boolean a, Boolean b) {
    return nonNull(a).equals(nonNull(b));
  }

  public static boolean eq(LocalDate a, LocalDate b) {
    return nonNull(a).equals(nonNull(b));
  }

  public static boolean eq(LocalDateTime a, LocalDateTime b) {
    return nonNull(a).equals(nonNull(b));
  }

  public static boolean eq(OffsetDateTime a, OffsetDateTime b) {
    return nonNull(a).isEqual(nonNull(b));
  }

  public static boolean eq(LocalTime a, LocalTime b) {
    return nonNull(a).equals(nonNull(b));
  }

  public static boolean eq(UUID a, UUID b) {
    return nonNull(a).equals(nonNull(b));
  }

  public static int cmp(Number a, Number b) {
    return compare(a, b);
  }

  public static int cmp(String a, String b) {
    return nonNull(a).compareTo(nonNull(b));
  }

  public static int cmp(LocalDate a, LocalDate b) {
    return nonNull(a).compareTo(nonNull(b));
  }

  public static int cmp(LocalDateTime a, LocalDateTime b) {
    return nonNull(a).compareTo(nonNull(b));
  }

  public static int cmp(OffsetDateTime a, OffsetDateTime b) {
    return nonNull(a).compareTo(nonNull(b));
  }

  public static int cmp(LocalTime a, LocalTime b) {
    return nonNull(a).compareTo(nonNull(b));
  }

  private static int compare(Number a, Number b) {
    nonNull(a);
    nonNull(b);
    if (a instanceof Long && b instanceof Long) {
      return Long.compare(a.longValue(), b.longValue());
    }
    if (a instanceof Double || b instanceof Double) {
      return Double.compare(a.doubleValue(), b.doubleValue());
    }
    return decimal(a).compareTo(decimal(b));
  }

  private static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal) {
      return (BigDecimal) n;
    }
    if (n instanceof Double || n instanceof Float) {
      return BigDecimal.valueOf(n.doubleValue());
    }
    return BigDecimal.valueOf(n.longValue());
  }

  // Arithmetic: Long with Long stays Long (overflow is an error), any Double makes a Double,
  // otherwise BigDecimal.

  public static Long add(Long a, Long b) {
    return Math.addExact(nonNull(a), nonNull(b));
  }

  public static Number add(Number a, Number b) {
    return arith('+', a, b);
  }

  public static String add(String a, Object b) {
    return nonNull(a) + nonNull(b);
  }

  public static String add(String a, String b) {
    return nonNull(a) + nonNull(b);
  }

  public static Long sub(Long a, Long b) {
    return Math.subtractExact(nonNull(a), nonNull(b));
  }

  public static Number sub(Number a, Number b) {
    return arith('-', a, b);
  }

  public static Long mul(Long a, Long b) {
    return Math.multiplyExact(nonNull(a), nonNull(b));
  }

  public static Number mul(Number a, Number b) {
    return arith('*', a, b);
  }

  public static Long div(Long a, Long b) {
    return nonNull(a) / nonNull(b);
  }

  public static Number div(Number a, Number b) {
    return arith('/', a, b);
  }

  public static Long mod(Long a, Long b) {
    return nonNull(a) % nonNull(b);
  }

  public static Number mod(Number a, Number b) {
    return arith('%', a, b);
  }

  public static Long neg(Long a) {
    return Math.negateExact(nonNull(a));
  }

  public static Double neg(Double a) {
    return -nonNull(a);
  }

  public static BigDecimal neg(BigDecimal a) {
    return nonNull(a).negate();
  }

  private static Number arith(char op, Number a, Number b) {
    nonNull(a);
    nonNull(b);
    if (a instanceof Double || b instanceof Double) {
      double x = a.doubleValue();
      double y = b.doubleValue();
      switch (op) {
        case '+':
          return x + y;
        case '-':
          return x - y;
        case '*':
          return x * y;
        case '/':
          return x / y;
        default:
          return x % y;
      }
    }
    if (a instanceof Long && b instanceof Long) {
      long x = a.longValue();
      long y = b.longValue();
      switch (op) {
        case '+':
          return Math.addExact(x, y);
        case '-':
          return Math.subtractExact(x, y);
        case '*':
          return Math.multiplyExact(x, y);
        case '/':
          return x / y;
        default:
          return x % y;
      }
    }
    BigDecimal x = decimal(a);
    BigDecimal y = decimal(b);
    switch (op) {
      case '+':
        return x.add(y);
      case '-':
        return x.subtract(y);
      case '*':
        return x.multiply(y);
      case '/':
        return x.divide(y, Math.max(16, Math.max(x.scale(), y.scale())), RoundingMode.HALF_UP)
            .stripTrailingZeros();
      default:
        return x.remainder(y);
    }
  }

  // Functions users call.

  public static boolean isNull(Object v) {
    return v == null;
  }

  public static boolean notNull(Object v) {
    return v != null;
  }

  public static Long coalesce(Long a, Long b) {
    return a != null ? a : b;
  }

  public static Double coalesce(Double a, Double b) {
    return a != null ? a : b;
  }

  public static BigDecimal coalesce(BigDecimal a, BigDecimal b) {
    return a != null ? a : b;
  }

  public static BigDecimal coalesce(BigDecimal a, Long b) {
    return a != null ? a : b == null ? null : BigDecimal.valueOf(b);
  }

  public static String coalesce(String a, String b) {
    return a != null ? a : b;
  }

  public static Boolean coalesce(Boolean a, Boolean b) {
    return a != null ? a : b;
  }

  public static LocalDate coalesce(LocalDate a, LocalDate b) {
    return a != null ? a : b;
  }

  public static LocalDateTime coalesce(LocalDateTime a, LocalDateTime b) {
    return a != null ? a : b;
  }

  public static String lower(String s) {
    return nonNull(s).toLowerCase(Locale.ROOT);
  }

  public static String upper(String s) {
    return nonNull(s).toUpperCase(Locale.ROOT);
  }

  public static String trim(String s) {
    return nonNull(s).strip();
  }

  /** Length in characters (code points), as databases count them. */
  public static Long length(String s) {
    return (long) nonNull(s).codePointCount(0, s.length());
  }

  /** {@code len} characters from 1-based position {@code start}, by code points. */
  public static String substr(String s, Long start, Long len) {
    nonNull(s);
    int from = (int) Math.max(0, Math.min(s.codePointCount(0, s.length()), nonNull(start) - 1));
    int begin = s.offsetByCodePoints(0, from);
    int end =
        s.offsetByCodePoints(
            begin, (int) Math.min(nonNull(len), s.codePointCount(begin, s.length())));
    return s.substring(begin, end);
  }

  public static String concat(Object a, Object b) {
    return String.valueOf(nonNull(a)) + nonNull(b);
  }

  public static String concat(Object a, Object b, Object c) {
    return String.valueOf(nonNull(a)) + nonNull(b) + nonNull(c);
  }

  public static boolean contains(String s, String part) {
    return nonNull(s).contains(nonNull(part));
  }

  public static boolean startsWith(String s, String prefix) {
    return nonNull(s).startsWith(nonNull(prefix));
  }

  public static boolean endsWith(String s, String suffix) {
    return nonNull(s).endsWith(nonNull(suffix));
  }

  /** Whether the whole of {@code s} matches the regular expression. */
  public static boolean matches(String s, String regex) {
    return PATTERNS.computeIfAbsent(nonNull(regex), Pattern::compile).matcher(nonNull(s)).matches();
  }

  public static String replace(String s, String from, String to) {
    return nonNull(s).replace(nonNull(from), nonNull(to));
  }

  public static Long abs(Long v) {
    return Math.absExact(nonNull(v));
  }

  public static Double abs(Double v) {
    return Math.abs(nonNull(v));
  }

  public static BigDecimal abs(BigDecimal v) {
    return nonNull(v).abs();
  }

  public static BigDecimal round(BigDecimal v, Long scale) {
    return nonNull(v).setScale(nonNull(scale).intValue(), RoundingMode.HALF_UP);
  }

  public static Double round(Double v, Long scale) {
    return BigDecimal.valueOf(nonNull(v))
        .setScale(nonNull(scale).intValue(), RoundingMode.HALF_UP)
        .doubleValue();
  }

  public static LocalDate date(String iso) {
    return LocalDate.parse(nonNull(iso).trim());
  }

  public static LocalDateTime timestamp(String iso) {
    return LocalDateTime.parse(nonNull(iso).trim().replace(' ', 'T'));
  }

  public static Long year(LocalDate d) {
    return (long) nonNull(d).getYear();
  }

  public static Long year(LocalDateTime t) {
    return (long) nonNull(t).getYear();
  }

  public static Long month(LocalDate d) {
    return (long) nonNull(d).getMonthValue();
  }

  public static Long month(LocalDateTime t) {
    return (long) nonNull(t).getMonthValue();
  }

  public static Long day(LocalDate d) {
    return (long) nonNull(d).getDayOfMonth();
  }

  public static Long day(LocalDateTime t) {
    return (long) nonNull(t).getDayOfMonth();
  }

  public static Long daysBetween(LocalDate from, LocalDate to) {
    return ChronoUnit.DAYS.between(nonNull(from), nonNull(to));
  }

  public static LocalDate dateOf(LocalDateTime t) {
    return nonNull(t).toLocalDate();
  }

  public static LocalDate dateOf(OffsetDateTime t) {
    return nonNull(t).toLocalDate();
  }

  public static String str(Object v) {
    return v instanceof BigDecimal ? ((BigDecimal) v).toPlainString() : String.valueOf(nonNull(v));
  }

  public static Long toLong(String s) {
    return Long.parseLong(nonNull(s).trim());
  }

  public static Long toLong(Number n) {
    return decimal(nonNull(n)).setScale(0, RoundingMode.DOWN).longValueExact();
  }

  public static BigDecimal toDecimal(String s) {
    ParsedDecimal last = lastParsed;
    if (last != null && last.text == s) {
      return last.value;
    }
    BigDecimal value = new BigDecimal(nonNull(s).trim());
    lastParsed = new ParsedDecimal(s, value);
    return value;
  }

  /**
   * The last string {@link #toDecimal(String)} parsed, by identity: a literal such as {@code
   * toDecimal('1.19')} is the same String on every row, so it is parsed once, not per row.
   */
  private static volatile ParsedDecimal lastParsed;

  private static final class ParsedDecimal {
    final String text;
    final BigDecimal value;

    ParsedDecimal(String text, BigDecimal value) {
      this.text = text;
      this.value = value;
    }
  }

  public static BigDecimal toDecimal(Number n) {
    return decimal(nonNull(n));
  }

  public static Double toDouble(Number n) {
    return nonNull(n).doubleValue();
  }

  public static Double toDouble(String s) {
    return Double.parseDouble(nonNull(s).trim());
  }

  /** Whether {@code v} equals one of {@code options} (numbers by value). */
  public static boolean oneOf(Object v, Object... options) {
    nonNull(v);
    for (Object o : options) {
      if (o instanceof Number && v instanceof Number
          ? compare((Number) v, (Number) o) == 0
          : v.equals(o)) {
        return true;
      }
    }
    return false;
  }
}

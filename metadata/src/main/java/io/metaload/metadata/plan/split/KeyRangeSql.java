package io.metaload.metadata.plan.split;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.schema.Column;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/**
 * The SQL of an order-key range {@code [low, high)} in one dialect: as a predicate with parameters
 * and the binding that fills them, or with literals where a statement takes no parameters
 * (PostgreSQL's {@code COPY}); and the {@code ORDER BY} that reads it in key order.
 *
 * <pre>{@code
 * KeyRangeSql sql = new KeyRangeSql(dialect, boundaries.columns());
 * KeyRangeSql.Predicate range = sql.predicate(low != null, high != null);
 * PreparedStatement ps = c.prepareStatement("SELECT ... WHERE " + range.sql() + " ORDER BY " + sql.orderBy());
 * range.bind(ps, 1, low, high);
 * }</pre>
 */
public final class KeyRangeSql {
  private final Dialect dialect;
  private final List<Column> columns;
  private final List<String> quoted;

  public KeyRangeSql(Dialect dialect, List<Column> columns) {
    this.dialect = dialect;
    this.columns = List.copyOf(columns);
    this.quoted = columns.stream().map(c -> dialect.quote(c.name())).collect(Collectors.toList());
  }

  /** The order key's columns, comma-separated, for {@code ORDER BY}. */
  public String orderBy() {
    return String.join(", ", quoted);
  }

  /** A range predicate with parameter markers; a missing bound leaves that side open. */
  public Predicate predicate(boolean hasLow, boolean hasHigh) {
    List<Integer> lowOrder = new ArrayList<>();
    List<Integer> highOrder = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    if (hasLow) {
      parts.add(
          dialect.tupleBound(
              quoted,
              true,
              i -> {
                lowOrder.add(i);
                return "?";
              }));
    }
    if (hasHigh) {
      parts.add(
          dialect.tupleBound(
              quoted,
              false,
              i -> {
                highOrder.add(i);
                return "?";
              }));
    }
    return new Predicate(
        parts.isEmpty() ? "1 = 1" : String.join(" AND ", parts), lowOrder, highOrder);
  }

  /** The same range with each bound value rendered by {@code literal} (column, value). */
  public String literalPredicate(
      @Nullable List<Object> low,
      @Nullable List<Object> high,
      BiFunction<Column, Object, String> literal) {
    List<String> parts = new ArrayList<>();
    if (low != null) {
      parts.add(dialect.tupleBound(quoted, true, i -> literal.apply(columns.get(i), low.get(i))));
    }
    if (high != null) {
      parts.add(dialect.tupleBound(quoted, false, i -> literal.apply(columns.get(i), high.get(i))));
    }
    return parts.isEmpty() ? "1 = 1" : String.join(" AND ", parts);
  }

  /** A range predicate's text and the order its parameters take the bounds' elements in. */
  public final class Predicate {
    private final String sql;
    private final List<Integer> lowOrder;
    private final List<Integer> highOrder;

    Predicate(String sql, List<Integer> lowOrder, List<Integer> highOrder) {
      this.sql = sql;
      this.lowOrder = List.copyOf(lowOrder);
      this.highOrder = List.copyOf(highOrder);
    }

    public String sql() {
      return sql;
    }

    /** Binds the bounds from parameter {@code first}; returns the next parameter index. */
    public int bind(
        PreparedStatement ps, int first, @Nullable List<Object> low, @Nullable List<Object> high)
        throws SQLException {
      int next = first;
      for (int element : lowOrder) {
        dialect.bindKey(ps, next++, columns.get(element).type(), low.get(element));
      }
      for (int element : highOrder) {
        dialect.bindKey(ps, next++, columns.get(element).type(), high.get(element));
      }
      return next;
    }
  }
}

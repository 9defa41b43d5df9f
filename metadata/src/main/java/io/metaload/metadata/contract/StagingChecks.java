package io.metaload.metadata.contract;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.model.Durations;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a contract's quality checks on a run's staging table, one query each, before the run
 * publishes. For a delta run staging holds the window's rows, so the checks apply to them.
 * Timestamps without a time zone are taken as UTC by {@code freshness}.
 */
public final class StagingChecks {
  private final Connection connection;
  private final Dialect dialect;
  private final TableRef staging;
  private final TableSchema schema;

  public StagingChecks(
      Connection connection, Dialect dialect, TableRef staging, TableSchema schema) {
    this.connection = connection;
    this.dialect = dialect;
    this.staging = staging;
    this.schema = schema;
  }

  /** One check's outcome, with the bound and the value found as text. */
  public static final class Result {
    public final QualityCheck check;
    public final String expected;
    public final String actual;
    public final boolean passed;

    Result(QualityCheck check, String expected, String actual, boolean passed) {
      this.check = check;
      this.expected = expected;
      this.actual = actual;
      this.passed = passed;
    }

    @Override
    public String toString() {
      return check.text() + " (actual " + actual + ")";
    }
  }

  public List<Result> run(ContractDefinition contract) throws SQLException {
    List<Result> out = new ArrayList<>();
    for (QualityCheck check : contract.checks()) {
      out.add(evaluate(check));
    }
    return out;
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private Result evaluate(QualityCheck q) throws SQLException {
    String table = dialect.qualified(staging);
    switch (q.kind()) {
      case ROW_COUNT:
        {
          long n = longs("SELECT COUNT(*) FROM " + table)[0];
          return result(
              q,
              q.operator() + " " + q.values().get(0),
              String.valueOf(n),
              q.holds(BigDecimal.valueOf(n), new BigDecimal(q.values().get(0))));
        }
      case NULL_SHARE:
        {
          long[] counts = longs("SELECT COUNT(*), COUNT(" + col(q, 0) + ") FROM " + table);
          BigDecimal share =
              counts[0] == 0
                  ? BigDecimal.ZERO
                  : BigDecimal.valueOf(counts[0] - counts[1])
                      .divide(BigDecimal.valueOf(counts[0]), 6, RoundingMode.HALF_UP);
          return result(
              q,
              q.operator() + " " + q.values().get(0),
              share.stripTrailingZeros().toPlainString()
                  + " ("
                  + (counts[0] - counts[1])
                  + " of "
                  + counts[0]
                  + " NULL)",
              q.holds(share, new BigDecimal(q.values().get(0))));
        }
      case MIN:
      case MAX:
        {
          Column c = column(q, 0);
          Object v =
              single(
                  "SELECT "
                      + (q.kind() == QualityCheck.Kind.MIN ? "MIN(" : "MAX(")
                      + col(q, 0)
                      + ") FROM "
                      + table,
                  c.type());
          if (v == null) {
            return result(q, q.operator() + " " + q.values().get(0), "no rows", true);
          }
          Comparable actual = comparable(c.type(), v);
          Comparable bound = comparable(c.type(), c.type().parse(q.values().get(0)));
          return result(q, q.operator() + " " + q.values().get(0), text(v), q.holds(actual, bound));
        }
      case UNIQUE:
        {
          StringBuilder cols = new StringBuilder();
          for (int i = 0; i < q.columns().size(); i++) {
            cols.append(i == 0 ? "" : ", ").append(col(q, i));
          }
          long duplicated =
              longs(
                  "SELECT COUNT(*) FROM (SELECT "
                      + cols
                      + " FROM "
                      + table
                      + " GROUP BY "
                      + cols
                      + " HAVING COUNT(*) > 1) dup")[0];
          return result(q, "0 duplicated keys", duplicated + " duplicated keys", duplicated == 0);
        }
      case ACCEPTED_VALUES:
        {
          Column c = column(q, 0);
          StringBuilder sql =
              new StringBuilder(
                  "SELECT COUNT(*) FROM "
                      + table
                      + " WHERE "
                      + col(q, 0)
                      + " IS NOT NULL AND "
                      + col(q, 0)
                      + " NOT IN (");
          for (int i = 0; i < q.values().size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
          }
          try (PreparedStatement ps = connection.prepareStatement(sql.append(")").toString())) {
            for (int i = 0; i < q.values().size(); i++) {
              c.type().bind(ps, i + 1, c.type().parse(q.values().get(i)));
            }
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              long others = rs.getLong(1);
              return result(
                  q, "only " + q.values(), others + " rows with other values", others == 0);
            }
          }
        }
      default:
        {
          Column c = column(q, 0);
          Object v = single("SELECT MAX(" + col(q, 0) + ") FROM " + table, c.type());
          Duration limit = Durations.parse(q.values().get(0));
          if (v == null) {
            return result(q, q.operator() + " " + q.values().get(0), "no rows", false);
          }
          Instant newest =
              v instanceof OffsetDateTime
                  ? ((OffsetDateTime) v).toInstant()
                  : v instanceof LocalDateTime
                      ? ((LocalDateTime) v).toInstant(ZoneOffset.UTC)
                      : ((LocalDate) v).atStartOfDay().toInstant(ZoneOffset.UTC);
          Duration age = Duration.between(newest, Instant.now());
          return result(
              q,
              q.operator() + " " + q.values().get(0),
              "newest " + text(v) + ", " + age.toMinutes() + " min old",
              q.holds(age, limit));
        }
    }
  }

  private static Result result(QualityCheck q, String expected, String actual, boolean passed) {
    return new Result(q, expected, actual, passed);
  }

  private Column column(QualityCheck q, int i) {
    return schema
        .column(q.columns().get(i))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "check '"
                        + q.text()
                        + "': column "
                        + q.columns().get(i)
                        + " is not in the target"));
  }

  private String col(QualityCheck q, int i) {
    return dialect.quote(column(q, i).name());
  }

  private long[] longs(String sql) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      long[] out = new long[rs.getMetaData().getColumnCount()];
      for (int i = 0; i < out.length; i++) {
        out[i] = rs.getLong(i + 1);
      }
      return out;
    }
  }

  private Object single(String sql, ColumnType type) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return type.read(rs, 1);
    }
  }

  @SuppressWarnings("rawtypes")
  private static Comparable comparable(ColumnType type, Object v) {
    if (type.family().equals("number")) {
      return v instanceof BigDecimal ? (BigDecimal) v : new BigDecimal(v.toString());
    }
    return (Comparable) v;
  }

  private static String text(Object v) {
    return v instanceof BigDecimal ? ((BigDecimal) v).toPlainString() : String.valueOf(v);
  }
}

package io.metaload.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.metaload.metadata.config.ConnectionSpec;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Asserts two tables hold the same rows, value for value, by streaming both in key order. Values
 * are compared after normalising what databases legitimately report differently (decimal scale, SQL
 * date/timestamp classes, booleans stored as numbers).
 */
public final class TableComparison {
  private TableComparison() {}

  public static void assertSameRows(
      ConnectionSpec source,
      String sourceTable,
      ConnectionSpec target,
      String targetTable,
      String columns,
      String key) {
    assertSameRows(source, sourceTable, target, targetTable, columns, columns, key);
  }

  /**
   * As above, with each side's own select list (e.g. casts that spell a type the same way on both
   * databases).
   */
  public static void assertSameRows(
      ConnectionSpec source,
      String sourceTable,
      ConnectionSpec target,
      String targetTable,
      String sourceColumns,
      String targetColumns,
      String key) {
    try (Connection a = source.open();
        Connection b = target.open()) {
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      try (Statement sa = a.createStatement();
          Statement sb = b.createStatement()) {
        sa.setFetchSize(5000);
        sb.setFetchSize(5000);
        try (ResultSet ra =
                sa.executeQuery(
                    "SELECT " + sourceColumns + " FROM " + sourceTable + " ORDER BY " + key);
            ResultSet rb =
                sb.executeQuery(
                    "SELECT " + targetColumns + " FROM " + targetTable + " ORDER BY " + key)) {
          int n = ra.getMetaData().getColumnCount();
          long row = 0;
          List<String> differences = new ArrayList<>();
          while (true) {
            boolean hasA = ra.next();
            boolean hasB = rb.next();
            if (!hasA && !hasB) {
              break;
            }
            if (hasA != hasB) {
              fail(
                  "row counts differ: "
                      + (hasA ? "source" : "target")
                      + " has more rows after "
                      + row
                      + " rows");
            }
            row++;
            for (int c = 1; c <= n; c++) {
              Object va = normalise(ra.getObject(c));
              Object vb = normalise(rb.getObject(c));
              if (!Objects.equals(va, vb) && differences.size() < 10) {
                differences.add(
                    "row "
                        + row
                        + " column "
                        + ra.getMetaData().getColumnName(c)
                        + ": source "
                        + va
                        + ", target "
                        + vb);
              }
            }
          }
          if (!differences.isEmpty()) {
            fail("tables differ: " + String.join("; ", differences));
          }
          if (row == 0) {
            fail("both tables are empty, which proves nothing");
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object normalise(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof BigDecimal) {
      BigDecimal d = ((BigDecimal) v).stripTrailingZeros();
      return d.signum() == 0 ? "0" : d.toPlainString();
    }
    if (v instanceof Number) {
      return new BigDecimal(v.toString()).stripTrailingZeros().toPlainString();
    }
    if (v instanceof Boolean) {
      return (Boolean) v ? "1" : "0";
    }
    if (v instanceof Timestamp) {
      return ((Timestamp) v).toLocalDateTime().toString();
    }
    if (v instanceof LocalDateTime) {
      return v.toString();
    }
    if (v instanceof Date) {
      return ((Date) v).toLocalDate().toString();
    }
    if (v instanceof LocalDate) {
      return v.toString();
    }
    return v.toString();
  }
}

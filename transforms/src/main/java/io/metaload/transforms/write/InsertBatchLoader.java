package io.metaload.transforms.write;

import io.metaload.metadata.schema.ColumnType;
import io.metaload.transforms.batch.RowBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.Collections;

/** Batched parameterised inserts, for targets without a COPY path (MariaDB, H2). */
final class InsertBatchLoader implements BatchLoader {
  private static final int ROWS_PER_EXECUTE = 5_000;

  private final String sql;
  private final StagingTarget target;

  InsertBatchLoader(StagingTarget target) {
    this.target = target;
    int n = target.columns().size();
    this.sql =
        "INSERT INTO "
            + target.dialect().qualified(target.staging())
            + " ("
            + target.dialect().columnList(target.columns())
            + ") VALUES ("
            + String.join(", ", Collections.nCopies(n, "?"))
            + ")";
  }

  @Override
  public Loaded load(Connection connection, RowBatch batch) throws SQLException {
    ColumnType[] types = batch.types();
    long written = 0;
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      int pending = 0;
      for (Object[] row : batch.rows()) {
        for (int c = 0; c < types.length; c++) {
          Object v = row[c];
          if (ColumnType.isNonFinite(v)
              && !target.dialect().holdsNonFinite(target.columns().get(c).type())) {
            throw new SQLException(
                "column "
                    + target.columns().get(c).name()
                    + ": the value "
                    + v
                    + " has no form in "
                    + target.dialect().name()
                    + "'s "
                    + target.dialect().sqlType(target.columns().get(c)),
                "22003");
          }
          try {
            if (v instanceof OffsetDateTime) {
              ps.setObject(c + 1, target.dialect().instantParameter((OffsetDateTime) v));
            } else {
              types[c].bind(ps, c + 1, v);
            }
          } catch (DateTimeException | ArithmeticException | IllegalArgumentException e) {
            throw new SQLException(
                "column "
                    + target.columns().get(c).name()
                    + ": the value "
                    + v
                    + " cannot be sent to "
                    + target.dialect().name()
                    + ": "
                    + e.getMessage(),
                "22008",
                e);
          }
        }
        ps.addBatch();
        if (++pending == ROWS_PER_EXECUTE) {
          written += executed(ps.executeBatch(), pending);
          pending = 0;
        }
      }
      if (pending > 0) {
        written += executed(ps.executeBatch(), pending);
      }
    }
    return Loaded.of(written, -1);
  }

  private static long executed(int[] counts, int rows) {
    long sum = 0;
    for (int c : counts) {
      if (c == PreparedStatement.SUCCESS_NO_INFO) {
        return rows;
      }
      sum += c;
    }
    return sum;
  }
}

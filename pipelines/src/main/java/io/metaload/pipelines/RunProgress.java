package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.Connections;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.store.RunContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * How far a run has got, from its ledger in the target: every batch's ledger row commits with the
 * batch, so the ledger counts what all workers, on any machine, have committed at this moment.
 */
public final class RunProgress {
  private RunProgress() {}

  /**
   * Batches committed, rows written and rows read by them, and partitions whose batches have read
   * all their planned rows ({@code {batches, written, read, partitionsDone}}), or null when the run
   * has no ledger (not prepared yet, or cleaned up after publishing).
   */
  public static long[] committed(ConnectionSpec target, RunContext run) {
    Dialect dialect = Dialect.forUrl(target.url());
    try (Connection c = Connections.open(target, "target")) {
      if (dialect.resolve(c, run.ledger()).isEmpty()) {
        return null;
      }
      Map<Integer, Long> readByPartition = new HashMap<>();
      long batches = 0;
      long written = 0;
      long read = 0;
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT partition_id, COUNT(*), COALESCE(SUM(rows_written), 0), COALESCE(SUM(rows_read), 0) FROM "
                      + dialect.qualified(run.ledger())
                      + " GROUP BY partition_id")) {
        while (rs.next()) {
          batches += rs.getLong(2);
          written += rs.getLong(3);
          read += rs.getLong(4);
          readByPartition.put(rs.getInt(1), rs.getLong(4));
        }
      }
      long done =
          run.plan().partitions().stream()
              .filter(p -> readByPartition.getOrDefault(p.partitionId(), 0L) >= p.sourceRows())
              .count();
      return new long[] {batches, written, read, done};
    } catch (SQLException e) {
      throw new IllegalStateException(
          "reading the ledger " + run.ledger() + ": " + e.getMessage(), e);
    }
  }

  /**
   * E.g. {@code progress run 12 load 'orders': 1,234,567 of 5,000,000 rows (24.7%), 310,000 rows/s,
   * about 12 s left, 25 batches}.
   */
  public static String line(
      long runId, String load, long planned, long done, long batches, double rowsPerSecond) {
    String left =
        rowsPerSecond <= 0 || done >= planned
            ? ""
            : String.format(", about %.0f s left", (planned - done) / rowsPerSecond);
    return String.format(
        "progress run %d load '%s': %,d of %,d rows (%.1f%%), %,.0f rows/s%s, %,d batches",
        runId,
        load,
        done,
        planned,
        planned == 0 ? 100.0 : 100.0 * done / planned,
        rowsPerSecond,
        left,
        batches);
  }
}

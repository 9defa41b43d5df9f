package io.metaload.transforms.write;

import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.store.RejectRecord;
import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.batch.RowJson;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Loads a decoded batch inside the caller's transaction and, for a load that tolerates rejects
 * ({@code maxRejects}), when the target refuses a value (a data error, see {@link
 * SqlErrors#isDataError}), isolates the rows it refuses by bisection under savepoints: the good
 * rows are loaded, each refused row becomes a reject of step {@link RejectRecord#TARGET_STEP} with
 * the database's message. A batch with {@code k} bad rows of {@code n} costs about {@code 2k
 * log2(n)} extra loads. Any other failure propagates unchanged.
 */
final class RefusedRows {
  private final BatchLoader loader;
  private final boolean isolate;
  private final List<String> columns;
  private final boolean[] hidden;

  /**
   * @param isolate false to load each batch as it is, so that a refused value fails it
   */
  RefusedRows(
      BatchLoader loader, boolean isolate, List<String> columns, Set<String> hiddenColumns) {
    this.loader = loader;
    this.isolate = isolate;
    this.columns = columns;
    this.hidden = new boolean[columns.size()];
    for (int i = 0; i < hidden.length; i++) {
      hidden[i] = hiddenColumns.contains(columns.get(i).toLowerCase(Locale.ROOT));
    }
  }

  /** What the isolating load did: rows and bytes loaded, and the rows the target refused. */
  static final class Outcome {
    final BatchLoader.Loaded loaded;
    final List<RejectRecord> refused;

    Outcome(BatchLoader.Loaded loaded, List<RejectRecord> refused) {
      this.loaded = loaded;
      this.refused = refused;
    }
  }

  Outcome load(Connection c, RowBatch batch) throws SQLException {
    if (batch.isCopyBinary() || !isolate) {
      return new Outcome(loader.load(c, batch), List.of());
    }
    Savepoint whole = c.setSavepoint();
    try {
      BatchLoader.Loaded loaded = loader.load(c, batch);
      c.releaseSavepoint(whole);
      return new Outcome(loaded, List.of());
    } catch (SQLException e) {
      if (!SqlErrors.isDataError(e)) {
        throw e;
      }
      c.rollback(whole);
    }
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < batch.rowCount(); i++) {
      all.add(i);
    }
    long[] totals = new long[2];
    List<RejectRecord> refused = new ArrayList<>();
    bisect(c, batch, all, totals, refused);
    return new Outcome(BatchLoader.Loaded.of(totals[0], totals[1]), refused);
  }

  private void bisect(
      Connection c, RowBatch batch, List<Integer> rows, long[] totals, List<RejectRecord> refused)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    Savepoint part = c.setSavepoint();
    try {
      List<Object[]> subset = new ArrayList<>(rows.size());
      rows.forEach(i -> subset.add(batch.rows().get(i)));
      BatchLoader.Loaded loaded = loader.load(c, batch.withRows(batch.types(), subset, List.of()));
      c.releaseSavepoint(part);
      totals[0] += loaded.rows();
      totals[1] += Math.max(0, loaded.bytes());
      return;
    } catch (SQLException e) {
      if (!SqlErrors.isDataError(e)) {
        throw e;
      }
      c.rollback(part);
      if (rows.size() == 1) {
        int i = rows.get(0);
        refused.add(
            RejectRecord.of(
                batch.runId(),
                batch.loadName(),
                batch.partitionId(),
                batch.batchId(),
                (int) Math.min(Integer.MAX_VALUE, batch.rowsRead() + i),
                RejectRecord.TARGET_STEP,
                message(e),
                RowJson.render(columns, batch.rows().get(i), hidden)));
        return;
      }
    }
    int half = rows.size() / 2;
    bisect(c, batch, rows.subList(0, half), totals, refused);
    bisect(c, batch, rows.subList(half, rows.size()), totals, refused);
  }

  private static String message(SQLException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    String state = e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]";
    return m.replaceAll("\\s+", " ") + state;
  }
}

package io.metaload.metadata.store;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks a run's validation made ({@code load_validation}), each with its expected and actual
 * value.
 */
public final class ValidationLog {
  private final MetadataStore store;

  ValidationLog(MetadataStore store) {
    this.store = store;
  }

  /** Records a check's outcome; a check recorded by an earlier attempt of the run is replaced. */
  public void recordValidation(
      long runId, int partitionId, String check, long expected, long actual) {
    recordValidation(runId, partitionId, check, expected, actual, expected == actual);
  }

  /** Records a check whose values are not whole numbers (a share, a date), as text. */
  public void recordValidation(
      long runId, int partitionId, String check, String expected, String actual, boolean passed) {
    replaceValidation(
        runId,
        partitionId,
        check,
        0,
        0,
        StoreUpdates.clip(expected, 200),
        StoreUpdates.clip(actual, 200),
        passed);
  }

  /**
   * Records a check whose pass is not equality, e.g. a limit: {@code expected} is the limit, {@code
   * actual} the value.
   */
  public void recordValidation(
      long runId, int partitionId, String check, long expected, long actual, boolean passed) {
    replaceValidation(runId, partitionId, check, expected, actual, null, null, passed);
  }

  /**
   * Replaces the run's row for {@code check} in one transaction; names longer than the column are
   * clipped.
   */
  private void replaceValidation(
      long runId,
      int partitionId,
      String check,
      long expected,
      long actual,
      String expectedText,
      String actualText,
      boolean passed) {
    String name = StoreUpdates.clip(check, 64);
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement delete =
              c.prepareStatement(
                  "DELETE FROM load_validation WHERE run_id = ? AND partition_id = ? AND check_name = ?");
          PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO load_validation (run_id, partition_id, check_name, expected, actual, "
                      + "passed, checked_at, expected_text, actual_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        delete.setLong(1, runId);
        delete.setInt(2, partitionId);
        delete.setString(3, name);
        delete.executeUpdate();
        insert.setLong(1, runId);
        insert.setInt(2, partitionId);
        insert.setString(3, name);
        insert.setLong(4, expected);
        insert.setLong(5, actual);
        insert.setBoolean(6, passed);
        insert.setTimestamp(7, Timestamp.from(Instant.now()));
        insert.setString(8, expectedText);
        insert.setString(9, actualText);
        insert.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("recording check " + check + " of run " + runId, e, ExitCode.LOAD_FAILED)
          .withRun(runId);
    }
  }

  /** One recorded check of a run: {@code partition_id} -1 for whole-run checks. */
  public static final class ValidationSummary {
    public int partitionId;
    public String check;
    public long expected;
    public long actual;
    public boolean passed;
  }

  /** The checks recorded for a run, by partition and name. */
  public List<ValidationSummary> validations(long runId) {
    List<ValidationSummary> out = new ArrayList<>();
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT partition_id, check_name, expected, actual, "
                    + "passed FROM load_validation WHERE run_id = ? ORDER BY partition_id, check_name")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ValidationSummary v = new ValidationSummary();
          v.partitionId = rs.getInt(1);
          v.check = rs.getString(2);
          v.expected = rs.getLong(3);
          v.actual = rs.getLong(4);
          v.passed = rs.getBoolean(5);
          out.add(v);
        }
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading the validations of run " + runId, e, ExitCode.LOAD_FAILED)
          .withRun(runId);
    }
    return out;
  }
}

package io.metaload.metadata.store;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The watermark each load last published ({@code load_watermark}), kept in the store beside the
 * target's own publication log.
 */
public final class WatermarkStore {
  private final MetadataStore store;

  WatermarkStore(MetadataStore store) {
    this.store = store;
  }

  /**
   * Copies a load's watermark, as the target's publication log recorded it with the run's rows,
   * into {@code load_watermark}; repeating it is harmless.
   */
  public void recordWatermark(String loadName, String watermark, long runId) {
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps =
            c.prepareStatement("DELETE FROM load_watermark WHERE load_name = ?")) {
          ps.setString(1, loadName);
          ps.executeUpdate();
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO load_watermark (load_name, watermark, run_id, updated_at) VALUES (?, ?, ?, ?)")) {
          ps.setString(1, loadName);
          ps.setString(2, watermark);
          ps.setLong(3, runId);
          ps.setTimestamp(4, Timestamp.from(Instant.now()));
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap(
          "recording the watermark of load '" + loadName + "'", e, ExitCode.LOAD_FAILED);
    }
  }

  /** The watermark {@code load_watermark} holds for a load, if any. */
  public Optional<String> watermark(String loadName) {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT watermark FROM load_watermark WHERE load_name = ?")) {
      ps.setString(1, loadName);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap(
          "reading the watermark of load '" + loadName + "'", e, ExitCode.LOAD_FAILED);
    }
  }
}

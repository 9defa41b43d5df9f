package io.metaload.metadata.store;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;

/** Statements on a connection of the store's pool, and text clipped to a column's width. */
final class StoreUpdates {
  private StoreUpdates() {}

  static void update(MetadataStore store, String what, String sql, Object... args) {
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] == null) {
          ps.setNull(i + 1, Types.BIGINT);
        } else {
          ps.setObject(i + 1, args[i]);
        }
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw SqlErrors.wrap(what, e, ExitCode.LOAD_FAILED);
    }
  }

  static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  static Map<Integer, Long> longsByPartition(
      MetadataStore store, String what, String sql, long runId) {
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, runId);
      Map<Integer, Long> out = new LinkedHashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getInt(1), rs.getLong(2));
        }
      }
      return out;
    } catch (SQLException e) {
      throw SqlErrors.wrap(what, e, ExitCode.LOAD_FAILED).withRun(runId);
    }
  }
}

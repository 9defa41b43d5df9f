package io.metaload.metadata.store;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A metadata table of versioned JSON bodies, {@code (key, version, body, created_at)}: adding an
 * item whose body differs from its key's latest version adds the next version; the same body adds
 * nothing. Versions are never changed or deleted.
 */
final class VersionedBodies {
  private final MetadataStore store;
  private final String table;
  private final String keyColumn;
  private final String bodyColumn;

  VersionedBodies(MetadataStore store, String table, String keyColumn, String bodyColumn) {
    this.store = store;
    this.table = table;
    this.keyColumn = keyColumn;
    this.bodyColumn = bodyColumn;
  }

  /** One stored version. */
  static final class Version {
    final String key;
    final int number;
    final String body;

    Version(String key, int number, String body) {
      this.key = key;
      this.number = number;
      this.body = body;
    }
  }

  /**
   * Adds a version for each item whose body changed, in one transaction; returns how many were
   * added.
   */
  <T> int addChanged(
      List<T> items, Function<T, String> key, Function<T, String> body, String what) {
    int added = 0;
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try {
        for (T item : items) {
          Optional<Version> latest = latest(c, key.apply(item));
          String text = body.apply(item);
          if (latest.isPresent() && latest.get().body.equals(text)) {
            continue;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + table
                      + " ("
                      + keyColumn
                      + ", version, "
                      + bodyColumn
                      + ", created_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, key.apply(item));
            ps.setInt(2, latest.map(l -> l.number + 1).orElse(1));
            ps.setBytes(3, text.getBytes(StandardCharsets.UTF_8));
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.executeUpdate();
          }
          added++;
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("writing " + what + " to the metadata store", e, ExitCode.LOAD_FAILED);
    }
    return added;
  }

  Optional<Version> latest(String key, String what) {
    try (Connection c = store.connection()) {
      return latest(c, key);
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading " + what, e, ExitCode.LOAD_FAILED);
    }
  }

  /** The latest version of every key, by key. */
  List<Version> latestOfEach(String what) {
    Map<String, Version> out = new LinkedHashMap<>();
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + keyColumn
                    + ", version, "
                    + bodyColumn
                    + " FROM "
                    + table
                    + " ORDER BY "
                    + keyColumn
                    + ", version");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(
            rs.getString(1),
            new Version(
                rs.getString(1), rs.getInt(2), new String(rs.getBytes(3), StandardCharsets.UTF_8)));
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading " + what, e, ExitCode.LOAD_FAILED);
    }
    return new ArrayList<>(out.values());
  }

  private Optional<Version> latest(Connection c, String key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT version, "
                + bodyColumn
                + " FROM "
                + table
                + " WHERE "
                + keyColumn
                + " = ? ORDER BY version DESC")) {
      ps.setMaxRows(1);
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new Version(key, rs.getInt(1), new String(rs.getBytes(2), StandardCharsets.UTF_8)))
            : Optional.empty();
      }
    }
  }
}

package io.metaload.transforms.write;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Replaces the versions of keys a window staged more than once with each key's current source row.
 * Without a shared snapshot, a row updated while the window is read can be read twice, and where
 * its delta value went backwards the greater of the two is the older version: the source is the
 * only one that knows which is current.
 */
final class StagedDuplicates {
  private static final int KEYS_PER_READ = 500;

  private final Dialect dialect;

  StagedDuplicates(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Returns the keys whose versions were replaced by their current source row. A key the source no
   * longer holds keeps its staged versions (the greatest delta value wins, as before).
   */
  long restage(Connection c, TableRef staging, List<Column> key, SourceRowsByKey source)
      throws SQLException {
    String keys = key.stream().map(k -> dialect.quote(k.name())).collect(Collectors.joining(", "));
    List<List<Object>> duplicated = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT "
                    + keys
                    + " FROM "
                    + dialect.qualified(staging)
                    + " GROUP BY "
                    + keys
                    + " HAVING COUNT(*) > 1")) {
      while (rs.next()) {
        List<Object> k = KeyValues.read(rs, key);
        duplicated.add(k);
      }
    }
    List<List<Object>> current = new ArrayList<>();
    for (int from = 0; from < duplicated.size(); from += KEYS_PER_READ) {
      List<List<Object>> chunk =
          duplicated.subList(from, Math.min(duplicated.size(), from + KEYS_PER_READ));
      Map<List<Object>, Boolean> found = source.aheadOfWindow(chunk);
      chunk.stream()
          .filter(k -> found.containsKey(WindowDeletion.canonical(k)))
          .forEach(current::add);
    }
    if (current.isEmpty()) {
      return 0;
    }
    String one =
        "("
            + key.stream()
                .map(k -> dialect.quote(k.name()) + " = ?")
                .collect(Collectors.joining(" AND "))
            + ")";
    for (int from = 0; from < current.size(); from += KEYS_PER_READ) {
      List<List<Object>> chunk =
          current.subList(from, Math.min(current.size(), from + KEYS_PER_READ));
      try (PreparedStatement ps =
          c.prepareStatement(
              "DELETE FROM "
                  + dialect.qualified(staging)
                  + " WHERE "
                  + String.join(" OR ", Collections.nCopies(chunk.size(), one)))) {
        int p = 1;
        for (List<Object> k : chunk) {
          for (int i = 0; i < key.size(); i++) {
            dialect.bindKey(ps, p++, key.get(i).type(), k.get(i));
          }
        }
        ps.executeUpdate();
      }
    }
    for (int from = 0; from < current.size(); from += KEYS_PER_READ) {
      source.stage(c, current.subList(from, Math.min(current.size(), from + KEYS_PER_READ)));
    }
    return current.size();
  }
}

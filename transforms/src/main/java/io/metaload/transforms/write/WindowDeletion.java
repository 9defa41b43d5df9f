package io.metaload.transforms.write;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.TableRef;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/**
 * Removes from a target the rows of a replaced window that the window's staged rows do not replace,
 * inside the publication's transaction. Those rows' keys are either gone from the source (deleted
 * there) or now carry a delta value outside the window (moved). Where the source can be asked
 * ({@link SourceRowsByKey}), only the gone keys are deleted, and a moved row never disappears:
 * moved ahead of the window, it keeps its previous version until the later window that holds its
 * new value reads it; moved behind it (where no later window will read it), or back into it after
 * it was read, its current version is read from the source and staged, so the publication's upsert
 * writes it. Without a source to ask, every such row is deleted, as a window replacement by value
 * would.
 *
 * <p>The rows a window leaves out are found with {@code EXCEPT} against the staging table, which
 * has no index: every database hashes or sorts that rather than probing staging once per row.
 */
final class WindowDeletion {
  /** What a deletion did. */
  static final class Result {
    final long deleted;
    final long movedAhead;
    final long movedBehind;
    final long restaged;
    final List<List<Object>> behindSample;

    Result(
        long deleted,
        long movedAhead,
        long movedBehind,
        long restaged,
        List<List<Object>> behindSample) {
      this.deleted = deleted;
      this.movedAhead = movedAhead;
      this.movedBehind = movedBehind;
      this.restaged = restaged;
      this.behindSample = behindSample;
    }
  }

  private static final int KEYS_PER_LOOKUP = 500;
  private static final int SAMPLE = 10;

  private final Dialect dialect;

  WindowDeletion(Dialect dialect) {
    this.dialect = dialect;
  }

  Result delete(
      Connection c,
      TableRef target,
      TableRef staging,
      List<Column> key,
      WindowPublisher.Window w,
      @Nullable SourceRowsByKey source)
      throws SQLException {
    if (source == null) {
      return new Result(deleteWholeWindow(c, target, w), 0, 0, 0, List.of());
    }
    List<List<Object>> left = leftOut(c, target, staging, key, w);
    List<List<Object>> gone = new ArrayList<>();
    List<List<Object>> behind = new ArrayList<>();
    long ahead = 0;
    for (int from = 0; from < left.size(); from += KEYS_PER_LOOKUP) {
      List<List<Object>> chunk = left.subList(from, Math.min(left.size(), from + KEYS_PER_LOOKUP));
      Map<List<Object>, Boolean> found = source.aheadOfWindow(chunk);
      for (List<Object> k : chunk) {
        Boolean isAhead = found.get(canonical(k));
        if (isAhead == null) {
          gone.add(k);
        } else if (isAhead) {
          ahead++;
        } else {
          behind.add(k);
        }
      }
    }
    long restaged = 0;
    for (int from = 0; from < behind.size(); from += KEYS_PER_LOOKUP) {
      restaged +=
          source.stage(c, behind.subList(from, Math.min(behind.size(), from + KEYS_PER_LOOKUP)));
    }
    return new Result(
        deleteKeys(c, target, key, gone),
        ahead,
        behind.size(),
        restaged,
        List.copyOf(behind.subList(0, Math.min(SAMPLE, behind.size()))));
  }

  /** The keys of the target's window rows that staging does not hold. */
  private List<List<Object>> leftOut(
      Connection c, TableRef target, TableRef staging, List<Column> key, WindowPublisher.Window w)
      throws SQLException {
    String keys = key.stream().map(k -> dialect.quote(k.name())).collect(Collectors.joining(", "));
    Filter filter = filter(w);
    String sql =
        "SELECT "
            + keys
            + " FROM "
            + dialect.qualified(target)
            + " WHERE "
            + filter.sql
            + " EXCEPT SELECT "
            + keys
            + " FROM "
            + dialect.qualified(staging);
    List<List<Object>> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      filter.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<Object> k = KeyValues.read(rs, key);
          out.add(k);
        }
      }
    }
    return out;
  }

  private long deleteKeys(Connection c, TableRef target, List<Column> key, List<List<Object>> keys)
      throws SQLException {
    if (keys.isEmpty()) {
      return 0;
    }
    String match =
        key.stream()
            .map(k -> dialect.quote(k.name()) + " = ?")
            .collect(Collectors.joining(" AND "));
    long deleted = 0;
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + dialect.qualified(target) + " WHERE " + match)) {
      for (int from = 0; from < keys.size(); from += KEYS_PER_LOOKUP) {
        for (List<Object> k : keys.subList(from, Math.min(keys.size(), from + KEYS_PER_LOOKUP))) {
          for (int i = 0; i < key.size(); i++) {
            dialect.bindKey(ps, i + 1, key.get(i).type(), k.get(i));
          }
          ps.addBatch();
        }
        for (int n : ps.executeBatch()) {
          deleted += Math.max(0, n);
        }
      }
    }
    return deleted;
  }

  private long deleteWholeWindow(Connection c, TableRef target, WindowPublisher.Window w)
      throws SQLException {
    Filter filter = filter(w);
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + dialect.qualified(target) + " WHERE " + filter.sql)) {
      filter.bind(ps);
      return ps.executeUpdate();
    }
  }

  /**
   * A key's values in a form equal across drivers: numbers by value, binary as hex, the rest as
   * text.
   */
  public static List<Object> canonical(List<Object> key) {
    List<Object> out = new ArrayList<>(key.size());
    for (Object v : key) {
      if (v instanceof Number) {
        out.add(new BigDecimal(v.toString()).stripTrailingZeros().toPlainString());
      } else if (v instanceof byte[]) {
        out.add(HexFormat.of().formatHex((byte[]) v));
      } else {
        out.add(v == null ? null : v.toString());
      }
    }
    return out;
  }

  private Filter filter(WindowPublisher.Window w) {
    String column = dialect.quote(w.column);
    List<Object> binds = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    if (w.low != null) {
      sql.append(column).append(" >= ? AND ");
      binds.add(bindable(w.type.fromPosition(w.low)));
    }
    sql.append(column).append(" < ?");
    binds.add(bindable(w.type.fromPosition(w.high)));
    List<Object> partitionValues = new ArrayList<>();
    if (w.partitionColumn != null) {
      sql.append(" AND ")
          .append(dialect.quote(w.partitionColumn.name()))
          .append(" IN (")
          .append(w.partitionValues.stream().map(v -> "?").collect(Collectors.joining(", ")))
          .append(")");
      for (String v : w.partitionValues) {
        partitionValues.add(w.partitionColumn.type().parse(v));
      }
    }
    return new Filter(sql.toString(), binds, w.partitionColumn, partitionValues);
  }

  /** Timestamps with a time zone bind as UTC local times where the target has no such type. */
  private Object bindable(Object value) {
    return value instanceof OffsetDateTime
        ? dialect.instantParameter((OffsetDateTime) value)
        : value;
  }

  /** A window's condition on the target and its parameters. */
  private static final class Filter {
    final String sql;
    final List<Object> binds;
    @Nullable final Column partitionColumn;
    final List<Object> partitionValues;

    Filter(
        String sql,
        List<Object> binds,
        @Nullable Column partitionColumn,
        List<Object> partitionValues) {
      this.sql = sql;
      this.binds = binds;
      this.partitionColumn = partitionColumn;
      this.partitionValues = partitionValues;
    }

    void bind(PreparedStatement ps) throws SQLException {
      int i = 1;
      for (Object b : binds) {
        ps.setObject(i++, b);
      }
      for (Object v : partitionValues) {
        partitionColumn.type().bind(ps, i++, v);
      }
    }
  }
}

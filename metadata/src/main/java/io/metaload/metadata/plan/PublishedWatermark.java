package io.metaload.metadata.plan;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * Reads a load's published watermark from the target's publication log ({@value #TABLE}, beside the
 * target table), where each publication wrote it in the same transaction as its rows. The target is
 * the authority: the metadata store's {@code load_watermark} is a copy of it.
 */
public final class PublishedWatermark {
  /** The publication log's table name, in the target table's schema. */
  public static final String TABLE = "metaload_publication";

  /**
   * The log's order, newest first: by {@code seq}, which the target numbers per load; rows written
   * before it existed have none and come after every row that has one, by when they were recorded.
   */
  public static final String LATEST_FIRST =
      "CASE WHEN seq IS NULL THEN 0 ELSE 1 END DESC, seq DESC, recorded_at DESC, run_id DESC";

  private PublishedWatermark() {}

  /** The log table beside {@code target}. */
  public static TableRef logBeside(Dialect dialect, TableRef target) {
    return target.withTable(dialect.newName(TABLE));
  }

  /**
   * As {@link #latest}, inside the caller's publication transaction, after locking the load's rows
   * of the log, so that two publications of one load into one target take turns and the second sees
   * what the first recorded (the locking read waits for it; the read after it sees its row on
   * PostgreSQL, and a locking read reads the newest rows on MariaDB).
   */
  public static Optional<String> latestLocked(
      Connection c, Dialect dialect, TableRef target, String loadName) throws SQLException {
    Optional<TableRef> log = dialect.catalog().resolve(c, logBeside(dialect, target));
    if (log.isEmpty()) {
      return Optional.empty();
    }
    String sql =
        "SELECT watermark FROM "
            + dialect.qualified(log.get())
            + " WHERE target_table = ? AND load_name = ? AND state = 'PUBLISHED' "
            + "AND watermark IS NOT NULL ORDER BY "
            + LATEST_FIRST
            + " FOR UPDATE";
    Optional<String> latest = Optional.empty();
    for (int pass = 0; pass < 2; pass++) {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, target.toString());
        ps.setString(2, loadName);
        try (ResultSet rs = ps.executeQuery()) {
          latest = rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    }
    return latest;
  }

  /**
   * The latest publication of a load that recorded a watermark: the watermark and the delta column
   * it is a value of.
   */
  @AutoValue
  public abstract static class Latest {
    public abstract String watermark();

    /** Null where the publication was recorded by a version that did not record it. */
    @Nullable
    public abstract String deltaColumn();

    static Latest of(String watermark, @Nullable String deltaColumn) {
      return new AutoValue_PublishedWatermark_Latest(watermark, deltaColumn);
    }
  }

  /** The watermark of the load's latest publication into {@code target} that recorded one. */
  public static Optional<String> latest(
      Connection c, Dialect dialect, TableRef target, String loadName) throws SQLException {
    return latestPublication(c, dialect, target, loadName).map(Latest::watermark);
  }

  /**
   * The load's latest publication into {@code target} that recorded a watermark, in the order the
   * target allocated the log's rows ({@code seq}; a log from before it has none, and is ordered by
   * when its rows were recorded).
   */
  public static Optional<Latest> latestPublication(
      Connection c, Dialect dialect, TableRef target, String loadName) throws SQLException {
    Optional<TableRef> log = dialect.catalog().resolve(c, logBeside(dialect, target));
    if (log.isEmpty()) {
      return Optional.empty();
    }
    Optional<TableSchema> schema = dialect.catalog().readSchema(c, log.get());
    if (schema.isEmpty() || schema.get().column("watermark").isEmpty()) {
      return Optional.empty();
    }
    boolean sequenced = schema.get().column("seq").isPresent();
    String column = schema.get().column("delta_column").isPresent() ? "delta_column" : "NULL";
    String sql =
        "SELECT watermark, "
            + column
            + " FROM "
            + dialect.qualified(log.get())
            + " WHERE target_table = ? AND load_name = ? "
            + "AND state = 'PUBLISHED' AND watermark IS NOT NULL ORDER BY "
            + (sequenced ? LATEST_FIRST : "recorded_at DESC, run_id DESC");
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setMaxRows(1);
      ps.setString(1, target.toString());
      ps.setString(2, loadName);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(Latest.of(rs.getString(1), rs.getString(2)))
            : Optional.empty();
      }
    }
  }
}

package io.metaload.metadata.plan;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.Connections;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.model.DeltaMode;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.RunParameters;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * What a delta run's window is planned from: the watermark the target last published, the fence
 * taken on the source, the delta column's position type, and the refusal of NULL delta values.
 */
final class DeltaPlanning {
  private DeltaPlanning() {}

  /**
   * The watermark the load's last publication recorded in the target, or null (first run, or a run
   * told to reset it). A watermark of another delta column than the load's is refused: it is no
   * position in this one.
   */
  @Nullable
  static String previousWatermark(
      LoadDefinition d, TargetCatalog target, TableRef namedTarget, RunParameters params) {
    Optional<PublishedWatermark.Latest> latest = target.latestPublication(namedTarget, d.name());
    if (params.resetsWatermark()) {
      return null;
    }
    if (latest.isPresent()
        && latest.get().deltaColumn() != null
        && !latest.get().deltaColumn().equalsIgnoreCase(d.deltaColumn())) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': field 'delta.column' is "
              + d.deltaColumn()
              + ", but the target's "
              + "latest publication recorded watermark '"
              + latest.get().watermark()
              + "' of column "
              + latest.get().deltaColumn()
              + ", which is no position in "
              + d.deltaColumn()
              + ". Put delta.column back, or run once with --param "
              + RunParameters.RESET_WATERMARK
              + "=true: that run plans as a first run (it reloads the whole table and records a watermark "
              + "of "
              + d.deltaColumn()
              + ")");
    }
    return latest.map(PublishedWatermark.Latest::watermark).orElse(null);
  }

  /** Takes the fence on a connection of its own (autocommit, outside any snapshot). */
  public static WatermarkFence takeFence(
      ConnectionSpec sourceSpec,
      Dialect dialect,
      TableRef source,
      Column column,
      SplitKeyType type,
      LoadDefinition d) {
    try (Connection c = Connections.open(sourceSpec, "source")) {
      return WatermarkFence.take(c, dialect, source, column, type, d);
    } catch (SQLException e) {
      throw SqlErrors.wrap(
          "taking the delta fence of load '" + d.name() + "' on " + sourceSpec.describe(),
          e,
          ExitCode.LOAD_FAILED);
    }
  }

  static SplitKeyType deltaType(LoadDefinition d, TableRef source, Column column) {
    SplitKeyType type;
    try {
      type = SplitKeyType.of(source, column);
    } catch (MetaloadException e) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': field 'delta.column': "
              + source
              + "."
              + column.name()
              + " has type "
              + column.type()
              + "; a delta column must be an integer, date or timestamp column");
    }
    if (type == SplitKeyType.ORDINAL) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': field 'delta.column': "
              + source
              + "."
              + column.name()
              + " has type "
              + column.type()
              + "; a delta column must be an integer, date or timestamp column");
    }
    if (d.deltaMode() == DeltaMode.WINDOW_REPLACE && !type.temporal()) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': field 'delta.column': delta mode 'window-replace' needs a date or "
              + "timestamp column; "
              + column.name()
              + " is "
              + column.type());
    }
    return type;
  }

  /**
   * Rows whose delta column is NULL never fall into a window, so they are refused before anything
   * moves.
   */
  static void refuseNullWatermarks(
      Connection c,
      Dialect dialect,
      LoadDefinition d,
      TableRef source,
      Column column,
      SplitKeyType type,
      @Nullable String previous)
      throws SQLException {
    if (!column.nullable()) {
      return;
    }
    long nulls = countNulls(c, dialect, source, column);
    if (nulls > 0) {
      String now =
          type.temporal()
              ? (type == SplitKeyType.DATE ? "CURRENT_DATE" : "CURRENT_TIMESTAMP")
              : "<a value above the column's largest>";
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': field 'delta.column': "
              + source
              + "."
              + column.name()
              + " is NULL in "
              + nulls
              + " rows, which no window can select: give those rows a value the next window reads, at or above "
              + (previous == null
                  ? "the fence (the source's clock, or the column's largest value)"
                  : "the published watermark " + previous)
              + " (e.g. UPDATE "
              + source
              + " SET "
              + column.name()
              + " = "
              + now
              + " WHERE "
              + column.name()
              + " IS NULL; a value below it is "
              + "never read), or give them their true values and load those with a backfill (--param from=... --param to=...); then make the "
              + "column NOT NULL, or choose another delta column");
    }
  }

  static long countNulls(Connection c, Dialect dialect, TableRef table, Column column)
      throws SQLException {
    String sql =
        "SELECT COUNT(*) FROM "
            + dialect.qualified(table)
            + " WHERE "
            + dialect.quote(column.name())
            + " IS NULL";
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

package io.metaload.transforms.write;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.plan.PublishedWatermark;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import io.metaload.transforms.target.PublicationEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/**
 * The target database's own record of what metaload published: one row per published run in {@code
 * metaload_publication}, in the target table's schema. Where DDL is transactional the row is
 * written in the swap's transaction, so it exists exactly when the swap committed; elsewhere a
 * {@link State#SWAPPING} row is written before the swap and turned into {@link State#PUBLISHED}
 * after it, and the tables themselves tell how far a swap got. A resumed run reads this to
 * recognise a publication that already happened. A load's rows are ordered by {@code seq}, one more
 * than the load's greatest in the target when the row is written (inside the publication, which the
 * load's lock and the log's row locks serialise), never by a launcher's clock ({@code recorded_at}
 * is for people); rows from before {@code seq} have none and come before every row that has one
 * ({@link PublishedWatermark#LATEST_FIRST}). A delta load's rows name the column their watermark is
 * a value of.
 */
public final class PublicationLog {
  /** How far the publication of one run got. */
  public enum State {
    NONE,
    SWAPPING,
    PUBLISHED
  }

  private final Dialect dialect;
  private final TableRef table;

  private PublicationLog(Dialect dialect, TableRef table) {
    this.dialect = dialect;
    this.table = table;
  }

  /** The log in the schema of {@code target}. */
  public static PublicationLog beside(Dialect dialect, TableRef target) {
    return new PublicationLog(dialect, PublishedWatermark.logBeside(dialect, target));
  }

  public TableRef table() {
    return table;
  }

  public void createIfMissing(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + dialect.qualified(table)
              + " (target_table VARCHAR(200) NOT NULL, run_uid VARCHAR(36) NOT NULL, "
              + "run_id BIGINT NOT NULL, load_name VARCHAR(128) NOT NULL, staging_table VARCHAR(200) NOT NULL, lock_token VARCHAR(200) NOT NULL, "
              + "state VARCHAR(16) NOT NULL, rows_published BIGINT NOT NULL, recorded_at "
              + dialect.timestampType(3)
              + " NOT NULL, PRIMARY KEY (target_table, run_uid))");
    }
    TableSchema schema =
        dialect
            .catalog()
            .readSchema(c, dialect.catalog().resolve(c, table).orElse(table))
            .orElseThrow();
    for (String[] column : DELTA_COLUMNS) {
      if (schema.column(column[0]).isEmpty()) {
        try (Statement s = c.createStatement()) {
          s.execute(
              "ALTER TABLE "
                  + dialect.qualified(table)
                  + " ADD COLUMN IF NOT EXISTS "
                  + column[0]
                  + " "
                  + column[1]);
        }
      }
    }
  }

  /** Columns delta loads added to the log; a log made by an earlier version gains them. */
  private static final String[][] DELTA_COLUMNS = {
    {"watermark", "VARCHAR(64)"},
    {"window_low", "VARCHAR(64)"},
    {"window_high", "VARCHAR(64)"},
    {"rows_inserted", "BIGINT"},
    {"rows_updated", "BIGINT"},
    {"rows_deleted", "BIGINT"},
    {"delta_column", "VARCHAR(128)"},
    {"seq", "BIGINT"}
  };

  /** The state of the publication of the run {@code runUid} into {@code target}. */
  public State state(Connection c, TableRef target, String runUid) throws SQLException {
    if (dialect.catalog().resolve(c, table).isEmpty()) {
      return State.NONE;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT state FROM "
                + dialect.qualified(table)
                + " WHERE target_table = ? AND run_uid = ?")) {
      ps.setString(1, target.toString());
      ps.setString(2, runUid);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? State.valueOf(rs.getString(1)) : State.NONE;
      }
    }
  }

  /** Rows the publication of the run {@code runUid} recorded, or -1 when there is no record. */
  public long rowsPublished(Connection c, TableRef target, String runUid) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT rows_published FROM "
                + dialect.qualified(table)
                + " WHERE target_table = ? AND run_uid = ?")) {
      ps.setString(1, target.toString());
      ps.setString(2, runUid);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  /**
   * Inserts the run's row in {@code state}. A second launcher publishing the same run collides on
   * the primary key, which fences it out in the target itself.
   */
  public void insert(
      Connection c,
      TableRef target,
      TableRef staging,
      String runUid,
      long runId,
      String loadName,
      String lockToken,
      State state,
      long rows)
      throws SQLException {
    insert(
        c,
        PublicationEntry.builder()
            .target(target)
            .staging(staging)
            .runUid(runUid)
            .runId(runId)
            .loadName(loadName)
            .lockToken(lockToken)
            .rows(rows)
            .build(),
        state);
  }

  /**
   * Inserts {@code e} in {@code state}; see {@link #insert(Connection, TableRef, TableRef, String,
   * long, String, String, State, long)}.
   */
  public void insert(Connection c, PublicationEntry e, State state) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + dialect.qualified(table)
                + " (target_table, run_uid, run_id, "
                + "load_name, staging_table, lock_token, state, rows_published, recorded_at, watermark, window_low, window_high, rows_inserted, "
                + "rows_updated, rows_deleted, delta_column, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, e.target().toString());
      ps.setString(2, e.runUid());
      ps.setLong(3, e.runId());
      ps.setString(4, e.loadName());
      ps.setString(5, e.staging().toString());
      ps.setString(6, e.lockToken());
      ps.setString(7, state.name());
      ps.setLong(8, e.rows());
      ps.setTimestamp(9, Timestamp.from(Instant.now()));
      ps.setString(10, e.watermark());
      ps.setString(11, e.windowLow());
      ps.setString(12, e.windowHigh());
      ps.setObject(13, e.inserted(), Types.BIGINT);
      ps.setObject(14, e.updated(), Types.BIGINT);
      ps.setObject(15, e.deleted(), Types.BIGINT);
      ps.setString(16, e.deltaColumn());
      ps.setLong(17, nextSeq(c, e.target(), e.loadName()));
      ps.executeUpdate();
    }
  }

  private long nextSeq(Connection c, TableRef target, String loadName) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM "
                + dialect.qualified(table)
                + " WHERE target_table = ? AND load_name = ?")) {
      ps.setString(1, target.toString());
      ps.setString(2, loadName);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The watermark the publication of the run {@code runUid} recorded, if any. */
  public Optional<String> watermark(Connection c, TableRef target, String runUid)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT watermark FROM "
                + dialect.qualified(table)
                + " WHERE target_table = ? AND run_uid = ? AND state = 'PUBLISHED'")) {
      ps.setString(1, target.toString());
      ps.setString(2, runUid);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /**
   * Turns the run's {@code SWAPPING} intent into {@code PUBLISHED}; fails if the record is gone.
   */
  public void markPublished(Connection c, TableRef target, String runUid) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + dialect.qualified(table)
                + " SET state = ?, recorded_at = ? "
                + "WHERE target_table = ? AND run_uid = ?")) {
      ps.setString(1, State.PUBLISHED.name());
      ps.setTimestamp(2, Timestamp.from(Instant.now()));
      ps.setString(3, target.toString());
      ps.setString(4, runUid);
      if (ps.executeUpdate() != 1) {
        throw new SQLException(
            "the publication record of run "
                + runUid
                + " in "
                + table
                + " is gone; check "
                + target
                + " by hand");
      }
    }
  }

  /** Removes an intent this launcher wrote (its lock token) whose swap was rolled back. */
  public void deleteIntent(Connection c, TableRef target, String runUid, String lockToken)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM "
                + dialect.qualified(table)
                + " WHERE target_table = ? AND run_uid = ? AND lock_token = ? AND state = ?")) {
      ps.setString(1, target.toString());
      ps.setString(2, runUid);
      ps.setString(3, lockToken);
      ps.setString(4, State.SWAPPING.name());
      ps.executeUpdate();
    }
  }
}

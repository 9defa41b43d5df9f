package io.metaload.transforms.write;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.plan.PublishedWatermark;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableSchema;
import io.metaload.transforms.target.PublicationEntry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/**
 * Publishes a delta window's staging table into the target in one target transaction: for {@code
 * replace-window} it first deletes the target's rows of the window, then it upserts the staged rows
 * by the target's primary key (PostgreSQL {@code INSERT ... ON CONFLICT DO UPDATE}, MariaDB {@code
 * INSERT ... ON DUPLICATE KEY UPDATE}, H2 {@code MERGE INTO ... KEY}), checks that every staged key
 * was inserted or updated (PostgreSQL reports which from the statement itself; elsewhere the staged
 * keys found in the target are counted before and after), and writes the run's {@link
 * PublicationLog} row, watermark included, before the commit. A crash anywhere before the commit
 * publishes nothing; after it, the log row says the window was published.
 *
 * <p>Where a key was staged more than once (a source without a shared snapshot can show a row twice
 * when an update moves it within the window while the window is read), the version with the
 * greatest delta-column value wins, and the others are counted as superseded. A caller that knows
 * every key was staged once (one snapshot of a source whose primary key is the target's) says so,
 * and the upsert reads staging as it is, without ranking its rows; a duplicate then fails the
 * statement (PostgreSQL refuses to update a row twice) rather than being resolved.
 *
 * <pre>{@code
 * WindowPublisher.Counts counts = new WindowPublisher(dialect, log, 30_000)
 *     .publish(connection, entry, targetSchema, "updated_at", window, false, sourceRows, fence);
 * }</pre>
 */
public final class WindowPublisher {
  private final Dialect dialect;
  private final PublicationLog log;
  private final long lockWaitMillis;

  public WindowPublisher(Dialect dialect, PublicationLog log, long lockWaitMillis) {
    this.dialect = dialect;
    this.log = log;
    this.lockWaitMillis = lockWaitMillis;
  }

  /** What a window publication did. */
  public static final class Counts {
    public final long staged;
    public final long superseded;
    public final long inserted;
    public final long updated;
    public final long deleted;

    /**
     * Keys staged more than once (read without a shared snapshot) whose current row was staged
     * again from the source instead.
     */
    public final long restagedDuplicates;

    /**
     * Rows of a replaced window whose source row now lies at or after the window's end: kept, a
     * later window reads them.
     */
    public final long movedAhead;

    /**
     * Rows of a replaced window whose source row now lies before it, or moved back into it after it
     * was read.
     */
    public final long movedBehind;

    /**
     * Of {@link #movedBehind}, the rows staged again from the source (the rest keep their previous
     * version).
     */
    public final long movedBehindRestaged;

    /** Up to ten keys of {@link #movedBehind} rows, each as its key values. */
    public final List<List<Object>> movedBehindKeys;

    Counts(
        long staged,
        long superseded,
        long restagedDuplicates,
        long inserted,
        long updated,
        WindowDeletion.Result deletion) {
      this.staged = staged;
      this.superseded = superseded;
      this.restagedDuplicates = restagedDuplicates;
      this.inserted = inserted;
      this.updated = updated;
      this.deleted = deletion.deleted;
      this.movedAhead = deletion.movedAhead;
      this.movedBehind = deletion.movedBehind;
      this.movedBehindRestaged = deletion.restaged;
      this.movedBehindKeys = deletion.behindSample;
    }

    @Override
    public String toString() {
      return inserted
          + " inserted, "
          + updated
          + " updated, "
          + deleted
          + " deleted"
          + (superseded == 0 ? "" : ", " + superseded + " superseded versions skipped")
          + (restagedDuplicates == 0
              ? ""
              : ", " + restagedDuplicates + " keys read twice staged again " + "from the source")
          + (movedAhead == 0 ? "" : ", " + movedAhead + " moved ahead of the window and kept")
          + (movedBehind == 0
              ? ""
              : ", "
                  + movedBehind
                  + " moved behind the window, "
                  + movedBehindRestaged
                  + " of them read again");
    }
  }

  /**
   * The window a replace-window publication replaces in the target: {@code [low, high)} of {@code
   * column} (low null means unbounded), and, for a window read by list partitions, only the rows
   * whose partition column holds one of the listed values.
   */
  public static final class Window {
    final String column;
    final SplitKeyType type;
    @Nullable final Long low;
    final long high;
    @Nullable final Column partitionColumn;
    final List<String> partitionValues;

    public Window(String column, SplitKeyType type, @Nullable Long low, long high) {
      this(column, type, low, high, null, List.of());
    }

    private Window(
        String column,
        SplitKeyType type,
        @Nullable Long low,
        long high,
        @Nullable Column partitionColumn,
        List<String> partitionValues) {
      this.column = column;
      this.type = type;
      this.low = low;
      this.high = high;
      this.partitionColumn = partitionColumn;
      this.partitionValues = partitionValues;
    }

    /**
     * This window restricted to the target rows whose {@code column} holds one of {@code values}
     * (literals of its type).
     */
    public Window onlyWhere(Column column, List<String> values) {
      return new Window(this.column, type, low, high, column, List.copyOf(values));
    }
  }

  /**
   * Upserts {@code e.staging()} into {@code e.target()} (after deleting {@code replace}'s window,
   * when given) and records {@code e} with the counts, all in one transaction.
   *
   * @param versionColumn the target column whose greatest value wins among duplicate staged keys
   * @param keysStagedOnce whether the caller knows that no key was staged twice
   * @param source the source by key: where a replaced window's rows that were not staged have gone
   *     (only those gone from the source are deleted; those moved behind the window are staged
   *     again), and the current rows of keys staged twice; null deletes them all and resolves
   *     twice-staged keys by {@code versionColumn}
   */
  public Counts publish(
      Connection c,
      PublicationEntry e,
      TableSchema targetSchema,
      String versionColumn,
      @Nullable Window replace,
      boolean keysStagedOnce,
      @Nullable SourceRowsByKey source,
      SwapPublisher.Fence fence)
      throws SQLException {
    List<String> key = targetSchema.primaryKey();
    if (key.isEmpty()) {
      throw MetaloadException.badConfig(
          "target table " + e.target() + " has no primary key to merge by");
    }
    Set<String> generated = dialect.target().generatedColumns(c, e.target());
    Set<String> insertOnly = dialect.target().insertOnlyColumns(c, e.target());
    List<Column> written =
        targetSchema.columns().stream()
            .filter(col -> !generated.contains(col.name()))
            .collect(Collectors.toList());
    List<String> columns = written.stream().map(Column::name).collect(Collectors.toList());
    String keys = key.stream().map(dialect::quote).collect(Collectors.joining(", "));
    String staging = dialect.qualified(e.staging());
    String target = dialect.qualified(e.target());
    String latest =
        keysStagedOnce
            ? "SELECT " + dialect.columnList(written) + " FROM " + staging
            : "SELECT "
                + dialect.columnList(written)
                + " FROM (SELECT "
                + dialect.columnList(written)
                + ", ROW_NUMBER() OVER (PARTITION BY "
                + keys
                + " ORDER BY "
                + dialect.quote(versionColumn)
                + " DESC) AS ml_rn FROM "
                + staging
                + ") ml_s WHERE ml_rn = 1";
    String keyMatch =
        key.stream()
            .map(k -> "ml_t." + dialect.quote(k) + " = ml_k." + dialect.quote(k))
            .collect(Collectors.joining(" AND "));
    String stagedKeys = "(SELECT DISTINCT " + keys + " FROM " + staging + ") ml_k";
    c.setAutoCommit(false);
    try {
      if (lockWaitMillis > 0) {
        dialect.target().limitLockWait(c, lockWaitMillis);
      }
      fence.check(c);
      refuseIfOvertaken(c, e);
      List<Column> keyColumns =
          key.stream().map(k -> targetSchema.column(k).orElseThrow()).collect(Collectors.toList());
      long restagedVersions =
          keysStagedOnce || source == null
              ? 0
              : new StagedDuplicates(dialect).restage(c, e.staging(), keyColumns, source);
      WindowDeletion.Result deletion = new WindowDeletion.Result(0, 0, 0, 0, List.of());
      if (replace != null) {
        deletion =
            new WindowDeletion(dialect)
                .delete(c, e.target(), e.staging(), keyColumns, replace, source);
      }
      long staged = count(c, "SELECT COUNT(*) FROM " + staging);
      long distinct = keysStagedOnce ? staged : count(c, "SELECT COUNT(*) FROM " + stagedKeys);
      long inserted;
      long updated;
      Optional<String> counting =
          dialect.target().upsertCounting(c, e.target(), columns, key, insertOnly, latest);
      if (counting.isPresent()) {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery(counting.get())) {
          rs.next();
          inserted = rs.getLong(1);
          boolean updatesNothing =
              columns.stream().allMatch(col -> key.contains(col) || insertOnly.contains(col));
          updated = updatesNothing ? distinct - inserted : rs.getLong(2);
        }
      } else {
        String present =
            "SELECT COUNT(*) FROM "
                + stagedKeys
                + " WHERE EXISTS (SELECT 1 FROM "
                + target
                + " ml_t WHERE "
                + keyMatch
                + ")";
        updated = count(c, present);
        try (Statement s = c.createStatement()) {
          s.executeUpdate(dialect.target().upsert(e.target(), columns, key, insertOnly, latest));
        }
        inserted = count(c, present) - updated;
      }
      for (String sql : dialect.target().identityCatchUp(c, e.target())) {
        try (Statement s = c.createStatement()) {
          s.execute(sql);
        }
      }
      if (inserted + updated != distinct) {
        throw new MetaloadException(
            ExitCode.VALIDATION_MISMATCH,
            "merging "
                + e.staging()
                + " into "
                + e.target()
                + ": "
                + distinct
                + " keys were staged but "
                + inserted
                + " were inserted and "
                + updated
                + " updated; nothing was published");
      }
      Counts counts =
          new Counts(staged, staged - distinct, restagedVersions, inserted, updated, deletion);
      log.insert(
          c,
          e.toBuilder()
              .inserted(counts.inserted)
              .updated(counts.updated)
              .deleted(replace == null ? null : counts.deleted)
              .build(),
          PublicationLog.State.PUBLISHED);
      PausePoints.reach("during-merge");
      fence.beforeCommit(c);
      c.commit();
      return counts;
    } catch (SQLException | RuntimeException failure) {
      c.rollback();
      throw failure;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * Fails when another run published this load into the target after this run planned: its window
   * was read earlier, so publishing it could put older versions over newer rows.
   */
  private void refuseIfOvertaken(Connection c, PublicationEntry e) throws SQLException {
    if (e.plannedFrom() == null) {
      return;
    }
    String latest =
        PublishedWatermark.latestLocked(c, dialect, e.target(), e.loadName()).orElse(null);
    if (!e.plannedFrom().equals(latest)) {
      throw new MetaloadException(
          ExitCode.RUN_CONFLICT,
          "run "
              + e.runId()
              + " planned its window of load '"
              + e.loadName()
              + "' from watermark "
              + e.plannedFrom()
              + ", but "
              + e.target()
              + "'s publication log now holds "
              + latest
              + ": another run "
              + "(another launcher or metadata store) published into it meanwhile, and this window, read before that, could overwrite "
              + "newer rows. Nothing was published; abandon this run and run the load again, which plans from the newer watermark");
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

package io.metaload.transforms.write;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.schema.TableRef;
import io.metaload.transforms.target.PublicationEntry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Publishes a validated staging table by swapping it into the target (or, where a rename would
 * leave the old table's dependents, grants or partitions behind, by replacing the target's rows
 * with the staged ones in the same transaction: {@link Dialect#replaceContents}), and completes a
 * swap that an earlier attempt began. Where DDL is transactional (PostgreSQL), and wherever the
 * rows are replaced in place, the statements and the {@link PublicationLog} row commit together.
 * Elsewhere a {@code SWAPPING} intent is recorded first; then the tables tell how far the swap got:
 * staging and target both present means not yet swapped, the target missing with staging and the
 * retired table present means an H2 swap stopped between its two renames (completed now), staging
 * gone means swapped. A failed second rename on H2 is rolled back at once, so the target name never
 * stays missing after a failure; after a kill there, the next attempt completes the swap.
 */
public final class SwapPublisher {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SwapPublisher.class);

  /**
   * A check that runs on the target connection inside the swap's transaction, before the swap:
   * where the metadata store shares the target's database, the lock check is part of the
   * publication itself.
   */
  public interface Fence {
    void check(Connection target) throws SQLException;

    /**
     * Runs after the swap's statements, just before its commit (e.g. refreshes the lock's
     * heartbeat).
     */
    default void beforeCommit(Connection target) throws SQLException {}

    /** No check in the target's transaction (the caller fenced on the metadata store). */
    static Fence none() {
      return c -> {};
    }
  }

  private final Dialect dialect;
  private final PublicationLog log;
  private final long lockWaitMillis;

  public SwapPublisher(Dialect dialect, PublicationLog log) {
    this(dialect, log, 0);
  }

  /**
   * A publisher whose statements wait at most {@code lockWaitMillis} for table locks (0: as long as
   * the database's default).
   */
  public SwapPublisher(Dialect dialect, PublicationLog log, long lockWaitMillis) {
    this.dialect = dialect;
    this.log = log;
    this.lockWaitMillis = lockWaitMillis;
  }

  /**
   * Publishes {@code staging} as {@code target} unless {@code state} says it already was;
   * idempotent.
   */
  public void publish(
      Connection c,
      PublicationLog.State state,
      TableRef target,
      TableRef staging,
      TableRef retired,
      String runUid,
      long runId,
      String loadName,
      String lockToken,
      long rows)
      throws SQLException {
    publish(
        c, state, target, staging, retired, runUid, runId, loadName, lockToken, rows, Fence.none());
  }

  /**
   * As {@link #publish(Connection, PublicationLog.State, TableRef, TableRef, TableRef, String,
   * long, String, String, long)}, with {@code fence} checked inside the swap's transaction (only
   * where DDL is transactional).
   */
  public void publish(
      Connection c,
      PublicationLog.State state,
      TableRef target,
      TableRef staging,
      TableRef retired,
      String runUid,
      long runId,
      String loadName,
      String lockToken,
      long rows,
      Fence fence)
      throws SQLException {
    publish(
        c,
        state,
        PublicationEntry.builder()
            .target(target)
            .staging(staging)
            .runUid(runUid)
            .runId(runId)
            .loadName(loadName)
            .lockToken(lockToken)
            .rows(rows)
            .build(),
        retired,
        fence);
  }

  /**
   * Publishes {@code e.staging()} as {@code e.target()}, recording {@code e} in the log;
   * idempotent.
   */
  public void publish(
      Connection c, PublicationLog.State state, PublicationEntry e, TableRef retired, Fence fence)
      throws SQLException {
    if (state == PublicationLog.State.PUBLISHED) {
      return;
    }
    TableRef target = e.target();
    TableRef staging = e.staging();
    if (dialect.target().transactionalDdl()
        || state == PublicationLog.State.NONE
            && !dialect.target().swapLeavesBehind(c, target).isEmpty()) {
      swapInOneTransaction(c, e, retired, fence);
      return;
    }
    c.setAutoCommit(true);
    if (lockWaitMillis > 0) {
      dialect.target().limitLockWait(c, lockWaitMillis);
    }
    if (state == PublicationLog.State.NONE) {
      log.insert(c, e, PublicationLog.State.SWAPPING);
    }
    boolean hasStaging = dialect.catalog().resolve(c, staging).isPresent();
    boolean hasTarget = dialect.catalog().resolve(c, target).isPresent();
    if (hasStaging && hasTarget) {
      swapStepByStep(c, target, staging, retired, e.runUid(), e.lockToken());
    } else if (hasStaging && dialect.catalog().resolve(c, retired).isPresent()) {
      execute(c, dialect.target().renameTable(staging, target));
    } else if (hasStaging || !hasTarget) {
      throw new SQLException(
          "cannot complete the publication of run "
              + e.runId()
              + ": staging "
              + staging
              + (hasStaging ? " exists" : " is gone")
              + ", target "
              + target
              + (hasTarget ? " exists" : " is missing")
              + " and the retired table "
              + retired
              + " is missing");
    }
    log.markPublished(c, target, e.runUid());
  }

  private void swapInOneTransaction(Connection c, PublicationEntry e, TableRef retired, Fence fence)
      throws SQLException {
    c.setAutoCommit(false);
    try {
      if (lockWaitMillis > 0) {
        dialect.target().limitLockWait(c, lockWaitMillis);
      }
      fence.check(c);
      log.insert(c, e, PublicationLog.State.PUBLISHED);
      List<String> leftBehind = dialect.target().swapLeavesBehind(c, e.target());
      List<String> statements =
          leftBehind.isEmpty()
              ? dialect.target().swap(e.target(), e.staging(), retired)
              : dialect.target().replaceContents(c, e.target(), e.staging());
      if (!leftBehind.isEmpty()) {
        LOG.info(
            "run {}: publishing {} in place (its rows replaced by the staged ones in one transaction), since renaming the "
                + "staged table into its place would leave behind its {}",
            e.runId(),
            e.target(),
            String.join(", ", leftBehind));
      }
      for (String sql : statements) {
        execute(c, sql);
      }
      List<String> broken =
          leftBehind.isEmpty() ? List.of() : dialect.target().brokenReferences(c, e.target());
      if (!broken.isEmpty()) {
        throw new MetaloadException(
            ExitCode.VALIDATION_MISMATCH,
            "run "
                + e.runId()
                + ": the new rows of "
                + e.target()
                + " break "
                + String.join("; ", broken)
                + ". Nothing was published. A resume would publish the "
                + "same rows: once the source holds those keys again (or the referring rows are gone), abandon this run (metaload abandon "
                + "--run "
                + e.runId()
                + ") and run the load again");
      }
      PausePoints.reach("during-swap");
      fence.beforeCommit(c);
      c.commit();
    } catch (SQLException | RuntimeException failure) {
      c.rollback();
      throw failure;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private void swapStepByStep(
      Connection c,
      TableRef target,
      TableRef staging,
      TableRef retired,
      String runUid,
      String lockToken)
      throws SQLException {
    List<String> statements = dialect.target().swap(target, staging, retired);
    for (int i = 0; i < statements.size(); i++) {
      if (i == statements.size() - 1) {
        PausePoints.reach("during-swap");
      }
      try {
        execute(c, statements.get(i));
      } catch (SQLException e) {
        if (i == 0 || rollBackFirstRename(c, target, retired, e)) {
          log.deleteIntent(c, target, runUid, lockToken);
        }
        throw e;
      }
    }
  }

  /**
   * Renames the retired table back to the target's name; false (and the intent stays for a resume)
   * when that fails too.
   */
  private boolean rollBackFirstRename(
      Connection c, TableRef target, TableRef retired, SQLException failure) {
    try {
      execute(c, dialect.target().renameTable(retired, target));
      return true;
    } catch (SQLException e) {
      failure.addSuppressed(
          new SQLException(
              "renaming "
                  + retired
                  + " back to "
                  + target
                  + " failed too; resume the run to complete "
                  + "the swap: "
                  + e.getMessage(),
              e));
      return false;
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}

package io.metaload.metadata.store;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * At most one run per load at a time: a row in {@code load_lock} held by a run whose process keeps
 * its heartbeat fresh. A holder whose heartbeat is older than {@link #STALE_AFTER} has died
 * (killed, lost its host) and its lock is taken over, so a dead process never blocks a load for
 * long.
 *
 * <p>The owner string {@code <pid>@<host>#<nonce>} is unique per acquisition, so it doubles as the
 * lock token that fences publication: {@link #holdForPublication} locks the row and checks the
 * token in the metadata store's transaction that stays open across the swap.
 */
public final class RunLock {
  public static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);
  public static final Duration STALE_AFTER = Duration.ofSeconds(30);
  private static final SecureRandom NONCES = new SecureRandom();

  private final MetadataStore store;
  private final String loadName;
  private final String owner;
  private long runId;
  private volatile boolean publishing;

  private RunLock(MetadataStore store, String loadName, String owner) {
    this.store = store;
    this.loadName = loadName;
    this.owner = owner;
  }

  /**
   * Takes the load's lock for {@code runId} (0 while the run id is not known yet), or throws a
   * {@link ExitCode#RUN_CONFLICT} naming the run that holds it.
   */
  public static RunLock acquire(MetadataStore store, String loadName, long runId) {
    String owner =
        ProcessHandle.current().pid()
            + "@"
            + hostName()
            + "#"
            + Long.toHexString(NONCES.nextLong());
    RunLock lock = new RunLock(store, loadName, owner);
    lock.runId = runId;
    try (Connection c = store.connection()) {
      Instant now = Instant.now();
      if (takeOver(
          c,
          loadName,
          runId,
          owner,
          now,
          "heartbeat_at < ?",
          Timestamp.from(now.minus(STALE_AFTER)))) {
        return lock;
      }
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO load_lock (load_name, run_id, owner, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)")) {
        insert.setString(1, loadName);
        insert.setLong(2, runId);
        insert.setString(3, owner);
        insert.setTimestamp(4, Timestamp.from(now));
        insert.setTimestamp(5, Timestamp.from(now));
        insert.executeUpdate();
        return lock;
      } catch (SQLException e) {
        if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
          throw e;
        }
      }
      if (takeOverFromDeadLocalProcess(c, loadName, owner, runId, now)) {
        return lock;
      }
      throw heldBy(c, loadName);
    } catch (SQLException e) {
      throw SqlErrors.wrap("locking load '" + loadName + "'", e, ExitCode.LOAD_FAILED);
    }
  }

  /**
   * A holder on this host whose process no longer exists is dead now, not only once its heartbeat
   * is stale: its lock is taken over at once.
   */
  private static boolean takeOverFromDeadLocalProcess(
      Connection c, String loadName, String owner, long runId, Instant now) throws SQLException {
    String holder;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT owner FROM load_lock WHERE load_name = ?")) {
      ps.setString(1, loadName);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
        holder = rs.getString(1);
      }
    }
    int at = holder.indexOf('@');
    int hash = holder.indexOf('#', at + 1);
    String host = at < 0 ? "" : holder.substring(at + 1, hash < 0 ? holder.length() : hash);
    if (at < 0 || !host.equals(hostName())) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(holder.substring(0, at));
    } catch (NumberFormatException e) {
      return false;
    }
    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    return takeOver(c, loadName, runId, owner, now, "owner = ?", holder);
  }

  /**
   * Moves the load's lock row to this owner if it still matches {@code condition}; true when it
   * did.
   */
  private static boolean takeOver(
      Connection c,
      String loadName,
      long runId,
      String owner,
      Instant now,
      String condition,
      Object conditionValue)
      throws SQLException {
    try (PreparedStatement take =
        c.prepareStatement(
            "UPDATE load_lock SET run_id = ?, owner = ?, acquired_at = ?, heartbeat_at = ? WHERE load_name = ? AND "
                + condition)) {
      take.setLong(1, runId);
      take.setString(2, owner);
      take.setTimestamp(3, Timestamp.from(now));
      take.setTimestamp(4, Timestamp.from(now));
      take.setString(5, loadName);
      take.setObject(6, conditionValue);
      return take.executeUpdate() == 1;
    }
  }

  private static MetaloadException heldBy(Connection c, String loadName) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT run_id, owner, heartbeat_at FROM load_lock WHERE load_name = ?")) {
      ps.setString(1, loadName);
      try (ResultSet rs = ps.executeQuery()) {
        String holder =
            rs.next()
                ? "run "
                    + rs.getLong(1)
                    + " (process "
                    + rs.getString(2)
                    + ", last heartbeat "
                    + rs.getTimestamp(3).toInstant()
                    + ")"
                : "another run";
        return new MetaloadException(
                ExitCode.RUN_CONFLICT,
                "load '"
                    + loadName
                    + "' is being run by "
                    + holder
                    + "; wait for it to finish (a dead holder's lock expires "
                    + STALE_AFTER.toSeconds()
                    + " s after its last heartbeat)")
            .withLoad(loadName);
      }
    }
  }

  /** Records which run holds the lock once its id is known. */
  public void assign(long id) {
    this.runId = id;
    execute("UPDATE load_lock SET run_id = ? WHERE load_name = ? AND owner = ?", id);
  }

  /**
   * Keeps the lock alive; called every {@link #HEARTBEAT_EVERY} while the run is in progress. It
   * skips the row while a publication holds it, and gives up after a few seconds rather than wait
   * on a locked row, so one load's swap never stalls the heartbeat of another.
   */
  public void heartbeat() {
    if (publishing) {
      return;
    }
    execute(
        "UPDATE load_lock SET heartbeat_at = ? WHERE load_name = ? AND owner = ?",
        Timestamp.from(Instant.now()));
    if (runId > 0) {
      store.runs().heartbeat(runId);
    }
  }

  public String loadName() {
    return loadName;
  }

  /** This acquisition's token, recorded with what it publishes. */
  public String token() {
    return owner;
  }

  /**
   * The fence of publication: on {@code metadata}, a connection in a transaction the caller keeps
   * open until the publication has committed, refreshes this acquisition's lock row, which locks
   * it, and so checks that this acquisition still holds it. A takeover blocks on that row until the
   * caller commits, so no other launcher can take the load between this check and the swap; call
   * {@link #refresh} again just before committing so that the heartbeat is fresh when the row is
   * released. The heartbeat thread leaves the row alone meanwhile.
   *
   * <p>The refresh itself is the check: a takeover changes the owner and a release deletes the row,
   * so when this acquisition's row is still there, nobody else holds the load, however late the
   * last heartbeat was; and a takeover that saw a stale heartbeat waits on the row and then finds
   * it fresh.
   *
   * @throws MetaloadException {@link ExitCode#LOAD_FAILED} when the lock was taken over or released
   */
  public void holdForPublication(Connection metadata) throws SQLException {
    publishing = true;
    if (refresh(metadata)) {
      return;
    }
    String holder = null;
    try (PreparedStatement ps =
        metadata.prepareStatement("SELECT owner FROM load_lock WHERE load_name = ?")) {
      ps.setString(1, loadName);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          holder = rs.getString(1);
        }
      }
    }
    throw new MetaloadException(
            ExitCode.LOAD_FAILED,
            "lost the lock of load '"
                + loadName
                + "' before publishing ("
                + (holder == null ? "its lock row is gone" : "it is now held by " + holder)
                + "), so another process may have taken it over; nothing was published")
        .withLoad(loadName)
        .withRun(runId);
  }

  /**
   * Refreshes this acquisition's heartbeat on a caller's connection and transaction; false when the
   * row is no longer ours.
   */
  public boolean refresh(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE load_lock SET heartbeat_at = ? WHERE load_name = ? AND owner = ?")) {
      ps.setTimestamp(1, Timestamp.from(Instant.now()));
      ps.setString(2, loadName);
      ps.setString(3, owner);
      return ps.executeUpdate() == 1;
    }
  }

  /** The publication has committed or failed: the heartbeat thread refreshes the row again. */
  public void publicationEnded() {
    publishing = false;
  }

  public void release() {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement("DELETE FROM load_lock WHERE load_name = ? AND owner = ?")) {
      ps.setString(1, loadName);
      ps.setString(2, owner);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw SqlErrors.wrap("unlocking load '" + loadName + "'", e, ExitCode.LOAD_FAILED);
    }
  }

  private int execute(String sql, Object first) {
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setQueryTimeout(3);
      ps.setObject(1, first);
      ps.setString(2, loadName);
      ps.setString(3, owner);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw SqlErrors.wrap("updating the lock of load '" + loadName + "'", e, ExitCode.LOAD_FAILED);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}

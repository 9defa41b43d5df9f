package io.metaload.metadata.plan;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.Connections;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.dialect.SharedSnapshots;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * One moment of a source that every reader of a run attempt shares, where its dialect has {@link
 * Dialect#sharedSnapshots()} (PostgreSQL: a REPEATABLE READ transaction that exported its snapshot
 * with {@code pg_export_snapshot()} and stays open while the attempt reads). The planner counts on
 * this transaction's connection and each reader, on any worker, imports the snapshot ({@code SET
 * TRANSACTION SNAPSHOT}), so the counts and the rows read are of the same moment however much the
 * source changes meanwhile.
 *
 * <pre>{@code
 * try (SourceSnapshot snapshot = SourceSnapshot.export(source).orElse(null)) {
 *   LoadPlan plan = new RunPlanner(config).plan(definition, snapshot);
 *   ... readers get snapshot.id() ...
 * }
 * }</pre>
 */
public final class SourceSnapshot implements AutoCloseable {
  /**
   * The {@code application_name} of the session that holds the snapshot, as {@code
   * pg_stat_activity} shows it.
   */
  public static final String APPLICATION_NAME = "metaload snapshot holder";

  private static final String HOLDER = "snapshot holder";

  private final Connection connection;
  private final String id;
  private boolean closed;

  private SourceSnapshot(Connection connection, String id) {
    this.connection = connection;
    this.id = id;
  }

  /** True when readers of {@code source} can share one exported snapshot. */
  public static boolean supported(ConnectionSpec source) {
    return Dialect.forUrl(source.url()).sharedSnapshots().isPresent();
  }

  /** Exports a snapshot of the source; empty for databases that cannot share one. */
  public static Optional<SourceSnapshot> export(ConnectionSpec source) {
    Optional<SharedSnapshots> sharing = Dialect.forUrl(source.url()).sharedSnapshots();
    if (sharing.isEmpty()) {
      return Optional.empty();
    }
    Connection c = Connections.open(source, "source", HOLDER);
    try {
      return Optional.of(new SourceSnapshot(c, sharing.get().export(c)));
    } catch (SQLException e) {
      closeQuietly(c);
      throw SqlErrors.wrap(
          "exporting a snapshot of source " + source.describe(), e, ExitCode.LOAD_FAILED);
    }
  }

  /**
   * Makes {@code reader}'s next transaction read in the snapshot {@code id}; the connection is left
   * in that open transaction (autocommit off, repeatable read).
   */
  public static void importInto(Dialect dialect, Connection reader, String id) throws SQLException {
    dialect
        .sharedSnapshots()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    dialect.name() + " cannot share snapshots (snapshot " + id + ")"))
        .importInto(reader, id);
  }

  public String id() {
    return id;
  }

  /** The exporting transaction's connection: queries on it see the snapshot. Do not close it. */
  public Connection connection() {
    return connection;
  }

  /**
   * Runs a trivial query in the exporting transaction, so that an {@code
   * idle_in_transaction_session_timeout} on the source does not end the snapshot while the pipeline
   * reads; called by the launcher's heartbeat. Failures are left to the readers.
   */
  public synchronized void keepAlive() {
    if (closed) {
      return;
    }
    try (Statement s = connection.createStatement()) {
      s.execute("SELECT 1");
    } catch (SQLException ignored) {
      // A lost holder shows as "invalid snapshot identifier" in the readers that need it.
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      closeQuietly(connection);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // Closing ends the transaction anyway.
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // Nothing to keep.
    }
  }
}

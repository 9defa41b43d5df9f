package io.metaload.transforms.target;

import io.metaload.metadata.config.ConnectionSpec;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a publication must hold while it commits: the load's lock, taken by this launcher, and the
 * run still at the attempt that publishes. The fence lives in the metadata store's database. A
 * target in that same database checks it inside its own transaction ({@link #check} before its
 * statements, {@link #beforeCommit} just before it commits); any other target publishes inside
 * {@link #holding}, which holds the fence in a store transaction across the publication.
 */
public interface PublicationFence {
  /** The metadata store's database, whose connections {@link #check} accepts. */
  ConnectionSpec store();

  /** Locks the fence in the transaction of {@code c}, a connection to {@link #store()}. */
  void check(Connection c) throws SQLException;

  /** Runs just before the transaction of {@code c} commits (refreshes the lock's heartbeat). */
  void beforeCommit(Connection c) throws SQLException;

  /** Runs {@code publication} while the fence is held in a store transaction of its own. */
  <T> T holding(Fenced<T> publication) throws SQLException;

  /** A publication run inside {@link #holding}. */
  @FunctionalInterface
  interface Fenced<T> {
    T run() throws SQLException;
  }
}

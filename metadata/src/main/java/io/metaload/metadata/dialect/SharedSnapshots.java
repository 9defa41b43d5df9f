package io.metaload.metadata.dialect;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * How sessions of one database read the same moment: one transaction exports its snapshot and stays
 * open; every reader, on any worker, imports it by id into its own transaction.
 */
public interface SharedSnapshots extends Serializable {
  /**
   * Opens a repeatable-read transaction on {@code holder} (left open) and exports its snapshot.
   *
   * @return the snapshot's id, for {@link #importInto}
   */
  String export(Connection holder) throws SQLException;

  /**
   * Makes {@code reader}'s next transaction read in the snapshot {@code id}; the connection is left
   * in that open transaction.
   */
  void importInto(Connection reader, String id) throws SQLException;
}

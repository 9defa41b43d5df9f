package io.metaload.transforms.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The source's current rows of some target keys, for a window publication: where rows a replaced
 * window no longer holds have gone (deleted, or moved ahead of or behind the window), and their
 * current versions staged again where the window's own read could not give them (moved behind it,
 * or read twice without a shared snapshot).
 */
public interface SourceRowsByKey {
  /**
   * For each of {@code keys} (target key values, in the target key's order) that the source holds,
   * keyed by {@link WindowDeletion#canonical}: whether its delta value lies at or after the
   * window's end. Keys the source does not hold are absent.
   */
  Map<List<Object>, Boolean> aheadOfWindow(List<List<Object>> keys) throws SQLException;

  /**
   * Reads the source's current rows of {@code keys}, puts them through the load's flowgraph and
   * inserts them into the run's staging table on {@code target} (in the caller's transaction).
   * Returns the rows staged: fewer than {@code keys} where the source no longer holds some, or the
   * flowgraph rejected them.
   */
  long stage(Connection target, List<List<Object>> keys) throws SQLException;
}

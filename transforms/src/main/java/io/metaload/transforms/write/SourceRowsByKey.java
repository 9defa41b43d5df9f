package io.metaload.transforms.write;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Where the source holds the rows of some target keys now, relative to a window being replaced:
 * what lets a window replacement tell a row deleted in the source from one that moved out of the
 * window.
 */
public interface SourceRowsByKey {
  /**
   * For each of {@code keys} (target key values, in the target key's order) that the source
   * holds, keyed by {@link WindowDeletion#canonical}: whether its delta value lies at or after the
   * window's end. Keys the source does not hold are absent.
   */
  Map<List<Object>, Boolean> aheadOfWindow(List<List<Object>> keys) throws SQLException;
}

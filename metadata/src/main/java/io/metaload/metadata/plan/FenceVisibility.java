package io.metaload.metadata.plan;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.Durations;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a delta load's fence cannot see on its source, decided before the fence is taken: the
 * source's blind spots (other roles' sessions, monitoring off, a standby or cluster node) and, for
 * an integer column, values handed out out of order (cached sequences, interleaved nodes). Each is
 * a warning when the load reads back over the gap ({@code delta.fenceMargin} for a timestamp,
 * {@code delta.lookback}), and a refusal (exit 2) naming the cause and the remedy when it does not.
 */
final class FenceVisibility {
  private FenceVisibility() {}

  /**
   * The warnings for the run's log and {@code validate}; throws when a row could be lost with
   * nothing configured to catch it.
   */
  static List<String> check(
      Connection c,
      Dialect dialect,
      LoadDefinition d,
      TableRef table,
      Column column,
      SplitKeyType type)
      throws SQLException {
    List<String> blind = dialect.fenceQueries().blindSpots(c);
    Optional<String> unordered =
        type.temporal()
            ? Optional.empty()
            : dialect.fenceQueries().unorderedIntegers(c, table, column);
    boolean margin = type.temporal() && !Durations.parse(d.fenceMargin()).isZero();
    boolean lookback = hasLookback(d);
    List<String> warnings = new ArrayList<>();
    String where = "the delta fence on " + table + "." + column.name();
    if (!blind.isEmpty()) {
      if (!margin && !lookback) {
        throw MetaloadException.badConfig(
            "load '"
                + d.name()
                + "': "
                + where
                + " cannot see every transaction that may still commit rows "
                + "below it, so rows could be lost between runs: "
                + String.join("; ", blind)
                + ". Fix that, or configure "
                + (type.temporal()
                    ? "delta.fenceMargin (the longest a writer's transaction stays open) or "
                    : "")
                + "delta.lookback (how far back each window reads again)");
      }
      warnings.add(
          "clock only: "
              + where
              + " "
              + String.join("; ", blind)
              + "; rows are caught by "
              + (margin ? "delta.fenceMargin " + d.fenceMargin() : "delta.lookback " + d.lookback())
              + " only as far as it reaches");
    }
    if (unordered.isPresent()) {
      if (!lookback) {
        throw MetaloadException.badConfig(
            "load '"
                + d.name()
                + "': "
                + where
                + " relies on values committing in the order they are "
                + "handed out, but "
                + unordered.get()
                + ". Configure delta.lookback (at least the values all writers can hold at once), "
                + "or use a timestamp stamped by the source's clock as the delta column");
      }
      warnings.add(
          unordered.get()
              + "; delta.lookback "
              + d.lookback()
              + " reads back over values committed out of order");
    }
    return warnings;
  }

  static boolean hasLookback(LoadDefinition d) {
    String text = d.lookback();
    if (text == null) {
      return false;
    }
    if (Durations.isCount(text)) {
      return Long.parseLong(text.trim()) != 0;
    }
    return !Durations.parse(text).equals(Duration.ZERO);
  }
}

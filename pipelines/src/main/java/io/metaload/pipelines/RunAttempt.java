package io.metaload.pipelines;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.plan.ReadUnit;
import io.metaload.metadata.store.RunContext;
import java.util.List;
import javax.annotation.Nullable;

/**
 * One attempt at a run: the run, its attempt number, the read units it still has to read, the rows
 * earlier attempts committed, and the source snapshot its readers share (null when the source
 * cannot export one).
 */
@AutoValue
public abstract class RunAttempt {
  public abstract RunContext run();

  public abstract int attempt();

  public abstract List<ReadUnit> units();

  public abstract long carriedRows();

  @Nullable
  public abstract String snapshotId();

  public static RunAttempt of(
      RunContext run,
      int attempt,
      List<ReadUnit> units,
      long carriedRows,
      @Nullable String snapshotId) {
    return new AutoValue_RunAttempt(run, attempt, List.copyOf(units), carriedRows, snapshotId);
  }
}

package io.metaload.pipelines;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.plan.ReadUnit;
import io.metaload.metadata.store.RunContext;
import java.util.List;

/** One attempt at a run: the run, its attempt number and the read units it still has to read. */
@AutoValue
public abstract class RunAttempt {
  public abstract RunContext run();

  public abstract int attempt();

  public abstract List<ReadUnit> units();

  public static RunAttempt of(RunContext run, int attempt, List<ReadUnit> units) {
    return new AutoValue_RunAttempt(run, attempt, List.copyOf(units));
  }
}

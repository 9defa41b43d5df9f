package io.metaload.transforms.target;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.RetryPolicy;

/** What a run's publication needs to know beyond the run itself. */
@AutoValue
public abstract class PublicationSettings {
  /**
   * The run's source: a window publication reads the current rows of keys it cannot decide from
   * staging alone (moved out of a replaced window, or staged twice).
   */
  public abstract ConnectionSpec source();

  /** Retries of the source reads above. */
  public abstract RetryPolicy retry();

  /** How long one publication attempt waits for the target's locks (0: the target's default). */
  public abstract long lockWaitMillis();

  /**
   * Whether no key can have been staged twice (one attempt read the source in one snapshot, and the
   * target's key is the source's), so a merge need not look for duplicates.
   */
  public abstract boolean keysStagedOnce();

  public static PublicationSettings of(
      ConnectionSpec source, RetryPolicy retry, long lockWaitMillis, boolean keysStagedOnce) {
    return new AutoValue_PublicationSettings(source, retry, lockWaitMillis, keysStagedOnce);
  }
}

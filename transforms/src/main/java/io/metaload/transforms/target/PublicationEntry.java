package io.metaload.transforms.target;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.schema.TableRef;
import javax.annotation.Nullable;

/**
 * What a run publishes into its target: which staging it publishes into which table, under which
 * lock token, how many rows, and for delta loads the watermark published with them and the window;
 * a target records it with the rows (the JDBC targets in their publication log, with what the merge
 * did).
 */
@AutoValue
public abstract class PublicationEntry {
  public abstract TableRef target();

  public abstract TableRef staging();

  public abstract String runUid();

  public abstract long runId();

  public abstract String loadName();

  public abstract String lockToken();

  public abstract long rows();

  @Nullable
  public abstract String watermark();

  /** The source column the watermark is a value of. */
  @Nullable
  public abstract String deltaColumn();

  @Nullable
  public abstract String windowLow();

  @Nullable
  public abstract String windowHigh();

  /**
   * The watermark the run planned its window from (the load's latest publication into the target
   * then); a window publication refuses to go on when the log holds another one by then.
   */
  @Nullable
  public abstract String plannedFrom();

  @Nullable
  public abstract Long inserted();

  @Nullable
  public abstract Long updated();

  @Nullable
  public abstract Long deleted();

  public static Builder builder() {
    return new AutoValue_PublicationEntry.Builder();
  }

  public abstract Builder toBuilder();

  /** Builder. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder target(TableRef t);

    public abstract Builder staging(TableRef t);

    public abstract Builder runUid(String uid);

    public abstract Builder runId(long id);

    public abstract Builder loadName(String name);

    public abstract Builder lockToken(String token);

    public abstract Builder rows(long rows);

    public abstract Builder watermark(@Nullable String watermark);

    public abstract Builder deltaColumn(@Nullable String column);

    public abstract Builder windowLow(@Nullable String low);

    public abstract Builder windowHigh(@Nullable String high);

    public abstract Builder plannedFrom(@Nullable String watermark);

    public abstract Builder inserted(@Nullable Long rows);

    public abstract Builder updated(@Nullable Long rows);

    public abstract Builder deleted(@Nullable Long rows);

    public abstract PublicationEntry build();
  }
}

package io.metaload.transforms.target;

import com.google.auto.value.AutoValue;

/**
 * One count a publication took (rows inserted, rows deleted, keys staged twice), recorded as a
 * check of the run: it passes when {@link #actual()} equals {@link #expected()}.
 */
@AutoValue
public abstract class PublishedCount {
  public abstract String name();

  public abstract long expected();

  public abstract long actual();

  public static PublishedCount of(String name, long expected, long actual) {
    return new AutoValue_PublishedCount(name, expected, actual);
  }

  /** A count that is only reported, never a failed check. */
  public static PublishedCount of(String name, long count) {
    return of(name, count, count);
  }
}

package io.metaload.metadata.model;

import java.util.Locale;

/** How a validated staging table is published into the target. */
public enum WriteMode {
  /** Replace the target table by the staging table in one step. */
  SWAP,
  /** Upsert the staged rows by the target's primary key, in one target transaction. */
  MERGE,
  /**
   * Delete the target's rows of the run's window, then upsert the staged rows, in one target
   * transaction.
   */
  REPLACE_WINDOW;

  /** The spelling in YAML, e.g. {@code replace-window}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

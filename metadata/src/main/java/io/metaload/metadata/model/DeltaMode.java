package io.metaload.metadata.model;

import java.util.Locale;

/**
 * Which source rows a run reads. Every mode but {@link #FULL} reads a window {@code [low, high)} of
 * one column (the definition's {@code delta.column}) after the load's first run, which reads the
 * whole table and is published by swap.
 */
public enum DeltaMode {
  /** Every row of the source (an initial or full reload). */
  FULL,
  /**
   * Rows whose watermark column (a timestamp or an increasing integer version) lies in the window;
   * published by merge.
   */
  WATERMARK,
  /**
   * Rows whose increasing key lies in the window above the last published key (insert-only tables);
   * published by merge.
   */
  APPEND,
  /**
   * The rows of a date/timestamp window; the target's rows of that window are replaced (deletes
   * inside the window carry over).
   */
  WINDOW_REPLACE;

  /** True for the modes that read a window after the first run. */
  public boolean windowed() {
    return this != FULL;
  }

  /** The spelling in YAML, e.g. {@code window-replace}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

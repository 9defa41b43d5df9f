package io.metaload.metadata.model;

/** Which source rows a run reads. */
public enum DeltaMode {
  /** Every row of the source (an initial or full reload). */
  FULL
}

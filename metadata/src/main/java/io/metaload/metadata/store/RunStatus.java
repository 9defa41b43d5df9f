package io.metaload.metadata.store;

/** Lifecycle of a run in {@code load_run}. */
public enum RunStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** Given up by an operator: staging dropped, never resumed. */
  ABANDONED
}

package io.metaload.transforms.flowgraph;

/** What a step decided about the current row beyond its value: a reason to reject it. */
public final class RowVerdict {
  private String reason;

  /** Rejects the current row; the step then returns null. */
  public void reject(String why) {
    this.reason = why;
  }

  /** Why the current row was rejected; null while it is not. */
  public String reason() {
    return reason;
  }

  void clear() {
    reason = null;
  }
}

package io.metaload.transforms.target;

/**
 * Other sessions held the target's locks longer than the publication may wait; nothing was
 * published, and the publication may be tried again.
 */
public final class TargetLockedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TargetLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}

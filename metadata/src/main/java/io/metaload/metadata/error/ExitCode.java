package io.metaload.metadata.error;

/**
 * Process exit codes of the {@code metaload} command, as documented in the README.
 *
 * <p>Orchestrators branch on these: a {@link #DATABASE_UNREACHABLE} is usually worth a retry, a
 * {@link #BAD_USAGE} never is.
 */
public enum ExitCode {
  SUCCESS(0),
  LOAD_FAILED(1),
  BAD_USAGE(2),
  DATABASE_UNREACHABLE(3),
  VALIDATION_MISMATCH(4),
  /** The load is held by another run, or its last run is unfinished. */
  RUN_CONFLICT(5),
  /**
   * The target refused a value (too long, out of range, NaN in a decimal, NULL in a NOT NULL
   * column) in a load that takes no rejects: no retry helps until the data, the target or the
   * load's {@code maxRejects} changes.
   */
  DATA_REFUSED(6);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}

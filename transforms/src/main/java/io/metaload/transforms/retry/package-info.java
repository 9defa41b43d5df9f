/**
 * {@link TransientRetry}: bounded exponential backoff, paced by the config's {@code RetryPolicy},
 * for the SQL failures {@code SqlErrors.isTransient} accepts (a lost connection, a deadlock).
 *
 * <p>Used by the transforms that talk to a database (read, write, protocol). No Beam and no dialect
 * here, and it never decides itself which errors are transient.
 */
package io.metaload.transforms.retry;

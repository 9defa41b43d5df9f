/**
 * How failures end a command: {@link MetaloadException} carries its {@link ExitCode} and the run,
 * load, partition and batch it happened in; {@link SqlErrors} maps JDBC failures to exit codes by
 * SQLState and says which are transient.
 *
 * <p>Every package may throw and catch these. It depends on no other metaload package, so it can
 * sit beneath all of them: keep it that way. Messages never hold secrets.
 */
package io.metaload.metadata.error;

/**
 * {@link SampleSource}: creates and fills the quick start's H2 {@code orders} table on a connection
 * its caller opens.
 *
 * <p>Sample data for the CLI's {@code quickstart} command only: it depends on no other metaload
 * package, and loading code must never depend on it.
 */
package io.metaload.pipelines.quickstart;

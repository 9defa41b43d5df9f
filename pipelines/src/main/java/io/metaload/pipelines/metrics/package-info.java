/**
 * {@link MetricsEndpoint}: {@code run --metrics-port}, serving each run's phase, rows planned, rows
 * and batches committed and elapsed seconds in the Prometheus text format.
 *
 * <p>The only package that uses the Prometheus client. It reads no database: {@code
 * io.metaload.pipelines} hands it suppliers of the counts.
 */
package io.metaload.pipelines.metrics;

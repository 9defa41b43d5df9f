/**
 * Running on a Flink session cluster: {@link ClusterSubmission} names the job and chooses what it
 * ships, {@link CancelOnShutdown} cancels the job when the launcher is stopped, and {@link
 * FlinkRest} makes the few JobManager REST calls (find, cancel, state).
 *
 * <p>Reaches the cluster only through Beam's Flink options and the REST API: no Flink class is
 * imported here. Used by {@code io.metaload.pipelines}, on which it does not depend.
 */
package io.metaload.pipelines.flink;

/**
 * The built-in flowgraph steps, one class each with its nested {@code StepType}: rename, select and
 * drop, cast ({@code ValueCast}), trim, default, filter, compute, hash, mask and require,
 * registered in {@code META-INF/services/io.metaload.transforms.flowgraph.StepType}.
 *
 * <p>Built-ins use only the public step API, as a custom step would, and nothing outside this
 * package names them. No Beam and no JDBC here. A new built-in step is a class here and a line in
 * that file.
 */
package io.metaload.transforms.flowgraph.steps;

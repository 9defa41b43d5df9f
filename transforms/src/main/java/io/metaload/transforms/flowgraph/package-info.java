/**
 * Flowgraphs on workers and the API a step is written against: {@link FlowgraphStep}, {@link
 * StepType}, {@link RowFunction}, {@link RowVerdict}, {@link StepArguments}, {@link StepColumns}
 * and {@link StepConfigException} are public for custom steps; {@link Flowgraphs} types a flowgraph
 * and builds its {@link Flowgraph}, one fused DoFn running every step on each row.
 *
 * <p>Names no step: built-in ({@code flowgraph.steps}) and custom steps alike are found by {@link
 * java.util.ServiceLoader}. No JDBC and no dialect here. Definitions are metadata, in {@code
 * io.metaload.metadata.flowgraph}.
 */
package io.metaload.transforms.flowgraph;

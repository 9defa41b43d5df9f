/**
 * Flowgraphs as metadata: their definitions, how they type a source schema into the columns a load
 * stages, and how the planner learns that without knowing any step. The steps themselves run on
 * workers and live in {@code io.metaload.transforms.flowgraph}.
 */
package io.metaload.metadata.flowgraph;

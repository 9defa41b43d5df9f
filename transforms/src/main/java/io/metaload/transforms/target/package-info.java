/**
 * The target SPI: a {@link TargetKind} registered through {@code java.util.ServiceLoader} serves
 * the connections of its {@code kind} with a {@link Target}, which answers for a run's life in its
 * target outside the pipeline (prepare, ledger, publication state, leftovers); {@link TargetKinds}
 * picks one.
 *
 * <p>Only interfaces and the registry live here: no JDBC, no dialect. The relational databases are
 * the {@code jdbc} kind in {@code io.metaload.transforms.write}; a new kind lives in a package (or
 * module) of its own and touches nothing here but its services line.
 */
package io.metaload.transforms.target;

/**
 * The target SPI: a {@link TargetKind} registered through {@code java.util.ServiceLoader} serves
 * the connections of its {@code kind} with a {@link Target}, which answers for a run's life in its
 * target outside the pipeline (prepare, ledger, publication state, leftovers) and opens its {@link
 * RunPublication} (staged rows, contract checks, key build, the fenced publication, clean-up);
 * {@link TargetKinds} picks one.
 *
 * <p>Only interfaces, the values they exchange and the registry live here: no dialect, and JDBC
 * only where the metadata store is concerned ({@link PublicationFence} lives in the store's
 * database). The relational databases are the {@code jdbc} kind in {@code
 * io.metaload.transforms.write}; a new kind lives in a package (or module) of its own and touches
 * nothing here but its services line.
 */
package io.metaload.transforms.target;

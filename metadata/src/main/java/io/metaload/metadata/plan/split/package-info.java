/**
 * Ordinal split keys (strings, UUIDs, bytes, composite keys): {@link BoundaryPlanner} finds the key
 * tuples that cut a partition into sub-ranges of one batch, {@link KeyBoundaries} keeps them in the
 * plan as {@link KeyLiterals} text, {@link KeyRangeSql} writes a sub-range's predicate, and {@link
 * HeapOrder} reads a table by heap pages where the dialect {@code readsInHeapOrder()}.
 *
 * <p>Only the database orders key values: nothing here compares two of them in Java. Part of the
 * planner ({@code metadata.plan} and this package use each other); the reader uses its {@code
 * KeyBoundaries} and {@code KeyRangeSql}. No Beam here.
 */
package io.metaload.metadata.plan.split;

/**
 * Expressions of steps ({@code filter}, {@code compute}, {@code require}): an {@link Expression} is
 * typed at plan time and compiled by Janino once per worker; {@code ExpressionTranslator} allows
 * only literals, columns, operators, the conditional and calls to {@link Functions}, so an
 * expression reaches nothing but its row.
 *
 * <p>The only package that uses Janino; no Beam and no JDBC here. A function users may call is a
 * method of {@code Functions}, listed in its {@code CALLABLE}.
 */
package io.metaload.transforms.flowgraph.expr;

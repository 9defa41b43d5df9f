/**
 * Tables and values as metaload sees them: {@link TableRef} (any catalog name, never read as SQL),
 * {@link Column} and {@link TableSchema}, {@link ColumnType} (each type's Java value and how it is
 * read from a result set and bound; its wire form is {@code transforms.batch.ValueCodec}) and
 * {@link SplitKeyType} (key values as {@code long} positions).
 *
 * <p>The vocabulary of every other package; it depends only on {@code error}. It opens no
 * connection and knows no {@code Dialect}: quoting and catalog queries are the dialect's, which
 * builds these types.
 */
package io.metaload.metadata.schema;

/**
 * The pipeline's element: {@link RowBatch}, one claimed keyset batch with its identity (run, load,
 * partition, key range), its rows and the rows steps rejected, and {@link RowBatchCoder}, its
 * compact binary coder; {@link RowJson} renders a rejected row for {@code load_reject}.
 *
 * <p>Shared by every transform; no JDBC and no transform logic here. A field added to {@code
 * RowBatch} must be added to {@code RowBatchCoder}.
 */
package io.metaload.transforms.batch;

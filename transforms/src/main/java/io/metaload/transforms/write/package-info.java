/**
 * The {@code jdbc} target kind ({@link JdbcTargetKind}, whose {@code JdbcTarget} prepares a run's
 * staging and ledger and reads them back) and writing to it: {@link WriteBatches} commits each
 * batch to staging with its ledger row in one idempotent transaction (COPY or INSERT loaders;
 * {@code RefusedRows} isolates refused rows), into a {@link StagingTarget}; {@link SwapPublisher}
 * publishes full loads and {@link WindowPublisher} delta windows, recorded in the target's {@link
 * PublicationLog}.
 *
 * <p>Never writes the metadata store: batches leave as {@code BatchRecord}s for {@code
 * transforms.protocol}. Database differences are asked of the {@code Dialect}; only {@code
 * CopyBatchLoader}, for PostgreSQL's COPY, is exempt from {@code .ci/no-kind-tests}.
 */
package io.metaload.transforms.write;

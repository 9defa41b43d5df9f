/**
 * Reading a read unit in keyset batches: {@link ReadBatchesFn}, the splittable DoFn that claims key
 * by key, over a {@code BatchSource} of JDBC keyset queries or PostgreSQL binary COPY, chosen by
 * {@link CopyPassThrough} and {@link CopyDecoding}; {@link SourceSpec} describes the source.
 *
 * <p>Reads the source only, never the target or the metadata store. What a database allows is asked
 * of the {@code Dialect} ({@code readsBinaryCopy()}), never tested by kind ({@code
 * .ci/no-kind-tests}). Used by {@code pipelines}, directly or through {@code MetaloadIO}.
 */
package io.metaload.transforms.read;

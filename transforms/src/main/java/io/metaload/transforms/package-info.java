/**
 * {@link MetaloadIO}, the facade of metaload's IO transforms in the manner of Beam's own IOs:
 * {@code readBatches()} turns read units into row batches, {@code writeBatches()} commits them to
 * staging.
 *
 * <p>Only a facade: reading lives in {@code transforms.read}, writing in {@code transforms.write},
 * and a new transform gets its own sub-package. Used by {@code pipelines}, or a user's own
 * pipeline.
 */
package io.metaload.transforms;

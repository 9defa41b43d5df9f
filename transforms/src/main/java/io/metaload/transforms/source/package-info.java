/**
 * {@link MetadataSource}, the pipeline's start: the read units of an attempt become a {@code
 * PCollection} with {@code Create} and are spread over workers with {@code
 * Reshuffle.viaRandomKey()}.
 *
 * <p>Reads no database. Units are cut in the driver by {@code metadata.plan} ({@code UnitSplitter}
 * for a new run, {@code ResumePlanner} for a resumed one); deciding units belongs there, not here.
 */
package io.metaload.transforms.source;

/**
 * Load definitions as values: {@link LoadDefinition} with its defaults, {@link PartitionStrategy},
 * {@link DeltaMode}, {@link WriteMode}, the per-field checks of {@link LoadDefinitionValidator},
 * {@code --param} substitution ({@link RunParameters}) and {@link Durations}.
 *
 * <p>Only values and checks that need nothing but the definition: no JDBC, no files and no dialect
 * here (it depends on {@code error} and {@code schema} alone). Reading YAML belongs to {@code
 * metadata.yaml}, storing to {@code metadata.store}, checks against a database to {@code
 * metadata.plan}.
 */
package io.metaload.metadata.model;

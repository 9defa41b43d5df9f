/**
 * Data contracts: what a load's target promises ({@link ContractDefinition}, {@link
 * ContractColumn}, {@link QualityCheck}), whether the load still keeps it at plan time ({@link
 * ContractConformance}, exit 2), and the checks run on staging before a run publishes ({@link
 * StagingChecks}).
 *
 * <p>Used by the planner, the store and pipelines. Reading contracts from YAML is {@code
 * metadata.yaml}'s job and storing their versions {@code metadata.store}'s; this package does
 * neither, and names no database: staging SQL is quoted through the {@code Dialect}.
 */
package io.metaload.metadata.contract;

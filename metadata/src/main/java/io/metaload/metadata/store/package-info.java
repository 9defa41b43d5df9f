/**
 * The metadata store: {@link MetadataStore} (a Hikari pool; the schema is Flyway's migrations in
 * {@code db/migration}) and one repository per group of tables, each holding its SQL: definitions,
 * flowgraph and contract versions, runs with their partitions and attempts ({@link RunRepository}),
 * the batch protocol and rejects ({@link BatchProtocol}), validations ({@link ValidationLog}),
 * watermarks ({@link WatermarkStore}), read units ({@link ReadUnitLog}), the summaries status shows
 * ({@link RunQueries}), load locks ({@link RunLock}) and the plan stored with a run ({@code
 * PlanCodec}). {@link MetadataStore} hands each out.
 *
 * <p>Depends on the rest of {@code metadata}, never on Beam or {@code transforms}. Of the
 * transforms only {@code protocol} writes here; the others use its values ({@link RunContext},
 * {@link BatchRecord}, {@link RejectRecord}). A new metadata table is a new migration.
 */
package io.metaload.metadata.store;

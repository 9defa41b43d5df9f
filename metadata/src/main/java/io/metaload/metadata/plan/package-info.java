/**
 * Planning a run before any data moves: {@link RunPlanner} checks a load against the source and
 * target catalogs and counts its partitions into a {@link LoadPlan}, {@link UnitSplitter} cuts the
 * {@link PartitionPlan}s into {@link ReadUnit}s, {@link ResumePlanner} finds what a resumed run
 * still has to read, and {@link WatermarkFence} bounds a delta window.
 *
 * <p>Planning only reads: recording a run is {@code metadata.store}'s, which depends on this
 * package, never the reverse. No Beam here; database differences are asked of the {@code Dialect};
 * ordinal keys are planned in {@code plan.split}.
 */
package io.metaload.metadata.plan;

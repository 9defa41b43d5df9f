package io.metaload.pipelines;

import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.RunParameters;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.RunPlanner;
import io.metaload.metadata.plan.SourceSnapshot;
import io.metaload.metadata.plan.WatermarkFence;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.transforms.flowgraph.Flowgraphs;
import io.metaload.transforms.target.TargetKinds;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a command's new runs before any of them is recorded: each in a source snapshot where its
 * source can export one, with its load's latest contract.
 */
final class RunPlanning {
  private static final Logger LOG = LoggerFactory.getLogger(RunPlanning.class);

  private final MetadataStore store;
  private final MetaloadConfig config;
  private final RunParameters params;
  private final SourceSnapshots snapshots;
  private final List<LoadPlan> plans = new ArrayList<>();
  private final List<SourceSnapshot> planSnapshots = new ArrayList<>();

  RunPlanning(
      MetadataStore store, MetaloadConfig config, RunParameters params, SourceSnapshots snapshots) {
    this.store = store;
    this.config = config;
    this.params = params;
    this.snapshots = snapshots;
  }

  /** Plans a new run of load {@code name}, as {@code definition} says now. */
  void plan(String name, LoadDefinition definition) {
    RunPlanner planner =
        new RunPlanner(
            config,
            true,
            Flowgraphs.typing(store.flowgraphs()::get),
            spec -> TargetKinds.target(spec).catalog());
    long planningStarted = System.nanoTime();
    WatermarkFence fence = planner.fenceFor(definition);
    SourceSnapshot snapshot = snapshots.export(definition.sourceConnection());
    planSnapshots.add(snapshot);
    LoadPlan plan =
        LoadRunner.withContract(store, planner.plan(definition, snapshot, fence, params));
    LOG.info(
        "load '{}': planned {} rows in {} partition(s) in {} s",
        name,
        plan.sourceRows(),
        plan.partitions().size(),
        String.format("%.2f", (System.nanoTime() - planningStarted) / 1e9));
    plan.warnings().forEach(w -> LOG.warn("load '{}': {}", name, w));
    if (plan.window() != null) {
      LOG.info(
          "load '{}': window {}; fence from the {}; watermark before this run: {}",
          name,
          plan.window().describe(),
          plan.window().fenceBasis(),
          plan.window().previousWatermark() == null ? "none" : plan.window().previousWatermark());
    }
    plans.add(plan);
  }

  /** The plans made so far, in the order they were made. */
  List<LoadPlan> plans() {
    return plans;
  }

  /** The source snapshot of each plan, at the plan's index; null where the source exported none. */
  List<SourceSnapshot> snapshots() {
    return planSnapshots;
  }
}

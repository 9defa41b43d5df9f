package io.metaload.pipelines;

import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.ReadUnit;
import io.metaload.metadata.plan.RunPlanner;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunContext;
import io.metaload.metadata.store.RunRepository;
import io.metaload.metadata.store.RunStatus;
import io.metaload.transforms.flowgraph.Flowgraphs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs loads end to end: plan every load (nothing is written if any plan fails), record the
 * runs, prepare staging, run the pipeline, then validate and publish each run.
 *
 * <pre>{@code
 * List<RunReport> reports = new LoadRunner(config).run(List.of("orders"), options);
 * }</pre>
 */
public final class LoadRunner {
  private static final Logger LOG = LoggerFactory.getLogger(LoadRunner.class);

  private final MetaloadConfig config;

  public LoadRunner(MetaloadConfig config) {
    this.config = config;
  }

  public List<RunReport> run(List<String> loadNames, PipelineOptions options) {
    try (MetadataStore store = MetadataStore.open(config.metadata())) {
      RunPlanner planner = new RunPlanner(config);
      List<LoadPlan> plans = new ArrayList<>();
      for (String name : loadNames) {
        LoadDefinition definition = store.definitions().get(name);
        try {
          Flowgraphs.named(definition.flowgraph());
        } catch (MetaloadException e) {
          throw e.withLoad(name);
        }
        plans.add(planner.plan(definition));
      }
      RunRepository runs = store.runs();
      String runner = options.getRunner().getSimpleName();
      List<RunContext> started = new ArrayList<>();
      for (LoadPlan plan : plans) {
        started.add(runs.start(plan, runner, null));
      }
      int workers = workers(options);
      long begin = System.nanoTime();
      try {
        for (RunContext run : started) {
          LOG.info("run {} of load '{}': {} source rows in {} partition(s), staging {}", run.runId(), run.loadName(),
              run.plan().sourceRows(), run.plan().partitions().size(), run.staging());
          TargetPreparer.prepare(run, config.connection(run.plan().definition().targetConnection()));
          runs.setReadUnits(run.runId(), unitsByPartition(run.readUnits(workers)));
        }
        execute(options, started, workers);
      } catch (RuntimeException e) {
        MetaloadException failure = PipelineFailures.classify(e);
        for (RunContext run : started) {
          runs.finishRun(run.runId(), RunStatus.FAILED, null, failure.getMessage());
        }
        if (started.size() == 1 && !failure.context().containsKey("run")) {
          failure.withRun(started.get(0).runId()).withLoad(started.get(0).loadName());
        }
        throw failure;
      }
      Finalizer finalizer = new Finalizer(runs);
      List<RunReport> reports = new ArrayList<>();
      MetaloadException firstFailure = null;
      for (RunContext run : started) {
        try {
          long rows = finalizer.finalizeRun(run, config.connection(run.plan().definition().targetConnection()));
          double seconds = (System.nanoTime() - begin) / 1e9;
          long batches = runs.runs(run.runId(), 1).get(0).batches;
          reports.add(RunReport.of(run.runId(), run.loadName(), rows, run.plan().partitions().size(), batches, seconds));
        } catch (MetaloadException e) {
          if (firstFailure == null) {
            firstFailure = e;
          }
        }
      }
      if (firstFailure != null) {
        throw firstFailure;
      }
      return reports;
    }
  }

  private void execute(PipelineOptions options, List<RunContext> runs, int workers) {
    Pipeline pipeline = Pipeline.create(options);
    LoadPipeline.build(pipeline, config, runs, workers);
    PipelineResult.State state = pipeline.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pipeline ended in state " + state);
    }
  }

  /** Parallelism the plan sizes read units for: Flink's setting, else the machine's cores. */
  static int workers(PipelineOptions options) {
    int parallelism = options.as(FlinkPipelineOptions.class).getParallelism();
    return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
  }

  private static Map<Integer, Integer> unitsByPartition(List<ReadUnit> units) {
    Map<Integer, Integer> out = new TreeMap<>();
    units.forEach(u -> out.merge(u.partitionId(), 1, Integer::sum));
    return out;
  }
}

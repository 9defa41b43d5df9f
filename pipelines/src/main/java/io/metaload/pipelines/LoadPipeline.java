package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.store.BatchRecord;
import io.metaload.metadata.store.RunContext;
import io.metaload.transforms.MetaloadIO;
import io.metaload.transforms.flowgraph.Flowgraph;
import io.metaload.transforms.flowgraph.Flowgraphs;
import io.metaload.transforms.protocol.ProtocolSink;
import io.metaload.transforms.read.SourceSpec;
import io.metaload.transforms.source.MetadataSource;
import io.metaload.transforms.target.Target;
import io.metaload.transforms.target.TargetKinds;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the pipeline for started runs, one branch per load:
 *
 * <pre>
 * MetadataSource -> ReadBatches (splittable DoFn) -> Flowgraph -> WriteBatches -> ProtocolSink
 *                                                  (rejects ride in the batches to the writer and the protocol)
 * </pre>
 *
 * Finalize runs after the pipeline has finished (see {@link Finalizer}).
 */
public final class LoadPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(LoadPipeline.class);

  private LoadPipeline() {}

  /** Adds one branch per attempt that still has units to read. */
  public static void build(Pipeline pipeline, MetaloadConfig config, List<RunAttempt> attempts) {
    for (RunAttempt attempt : attempts) {
      if (attempt.units().isEmpty()) {
        continue;
      }
      RunContext run = attempt.run();
      String name = run.loadName() + "-run" + run.runId() + "-attempt" + attempt.attempt();
      var definition = run.plan().definition();
      ConnectionSpec from = config.connection(definition.sourceConnection());
      ConnectionSpec to = config.connection(definition.targetConnection());
      Target target = TargetKinds.target(to);
      ReadPathChoice path = ReadPathChoice.of(run.plan(), Dialect.forUrl(from.url()), target);
      LOG.info("run {}: {}", run.runId(), path.describe());
      if (run.plan().heapOrder() != null) {
        LOG.info(
            "run {}: {} is read in ranges of heap pages (ctid), not in order of its key {}",
            run.runId(),
            run.plan().source(),
            run.plan().splitKey().name());
      }
      SourceSpec source =
          SourceSpec.forRun(run, from, config.retry(), path.path(), attempt.snapshotId());
      Flowgraph flowgraph =
          Flowgraphs.over(
              run.plan().flowgraph(),
              run.plan().sourceSchema(),
              Set.copyOf(run.plan().piiSourceColumns()));

      PCollection<BatchRecord> committed =
          pipeline
              .apply(name + "/Plan", MetadataSource.of(attempt.units()))
              .apply(name + "/Read", MetaloadIO.readBatches().withSource(source))
              .apply(name + "/Flowgraph", flowgraph)
              .apply(name + "/Write", target.write(run, attempt.attempt(), config.retry()));
      committed.apply(name + "/Protocol", ProtocolSink.batches(config.metadata()));
    }
  }
}

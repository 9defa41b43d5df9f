package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunRepository;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** A config with an in-memory H2 metadata store and named source and target connections. */
final class LoadFixture {
  final MetaloadConfig config;

  LoadFixture(String name, ConnectionSpec source, ConnectionSpec target) {
    ConnectionSpec metadata = ConnectionSpec.of("metadata", "jdbc:h2:mem:meta_" + name + "_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
    this.config = MetaloadConfig.of(Path.of("test-config.yaml"), metadata,
        Map.of("src", rename(source, "src"), "dst", rename(target, "dst")));
  }

  private static ConnectionSpec rename(ConnectionSpec spec, String name) {
    return ConnectionSpec.of(name, spec.url(), spec.user(), spec.password());
  }

  void define(LoadDefinition... definitions) {
    try (MetadataStore store = MetadataStore.open(config.metadata())) {
      store.definitions().upsertAll(List.of(definitions));
    }
  }

  static LoadDefinition.Builder load(String name, String sourceTable, String targetTable) {
    return LoadDefinition.builder().name(name).sourceConnection("src").sourceTable(sourceTable).splitKey("id")
        .targetConnection("dst").targetTable(targetTable);
  }

  List<RunReport> run(String runner, String... loads) {
    PipelineOptions options = PipelineOptionsFactory.fromArgs(runner.equals("FlinkRunner")
        ? new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]", "--objectReuse=true", "--parallelism=2"}
        : new String[] {"--runner=" + runner}).create();
    return new LoadRunner(config).run(List.of(loads), options);
  }

  RunRepository.RunSummary runSummary(long runId) {
    try (MetadataStore store = MetadataStore.open(config.metadata())) {
      return store.runs().runs(runId, 1).get(0);
    }
  }

  List<RunRepository.PartitionSummary> partitions(long runId) {
    try (MetadataStore store = MetadataStore.open(config.metadata())) {
      return store.runs().partitions(runId);
    }
  }
}

package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunRepository;
import io.metaload.transforms.read.SourceSpec.ReadPath;
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

  /**
   * Loads PostgreSQL {@code sourceTable} into PostgreSQL {@code target} once per read path and
   * compares each copy with the source through the select list {@code columns}: binary
   * pass-through into a new {@code <prefix>_pass}; binary COPY decoded into {@code
   * <prefix>_decoded}, which the caller has created with a column narrower than the source's so
   * that rows are decoded; and through JDBC into a new {@code <prefix>_jdbc}, partitioned by the
   * values 'a' and 'b' of the source's {@code kind} column, a predicate COPY cannot take. Each
   * run is asserted to have taken its path.
   */
  void loadOnEveryReadPath(ConnectionSpec source, String sourceTable, ConnectionSpec target, String prefix, String columns) {
    define(load("pass", sourceTable, prefix + "_pass").batchSize(100).build());
    define(load("decoded", sourceTable, prefix + "_decoded").batchSize(100).build());
    define(load("jdbc", sourceTable, prefix + "_jdbc").batchSize(100)
        .partitionStrategy(io.metaload.metadata.model.PartitionStrategy.LIST).partitionColumn("kind").partitionValues(List.of("a", "b"))
        .build());
    Map<String, ReadPath> expected = Map.of("pass", ReadPath.COPY_PASS_THROUGH, "decoded", ReadPath.COPY_DECODED, "jdbc", ReadPath.JDBC);
    for (String path : List.of("pass", "decoded", "jdbc")) {
      long runId = run("DirectRunner", path).get(0).runId();
      ReadPathChoice choice = readPath(runId);
      assertThat(path + ": " + choice.describe(), choice.path(), equalTo(expected.get(path)));
      io.metaload.testing.TableComparison.assertSameRows(source, sourceTable, target, prefix + "_" + path, columns, "id");
    }
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

  /** How run {@code runId} reads its source: the pipeline's own choice, made again from the run's stored plan. */
  ReadPathChoice readPath(long runId) {
    return ReadPathChoice.of(plan(runId), Dialect.forUrl(config.connection("src").url()), Dialect.forUrl(config.connection("dst").url()));
  }

  io.metaload.metadata.plan.LoadPlan plan(long runId) {
    try (MetadataStore store = MetadataStore.open(config.metadata())) {
      return store.runs().context(runId).plan();
    }
  }

  List<RunRepository.PartitionSummary> partitions(long runId) {
    try (MetadataStore store = MetadataStore.open(config.metadata())) {
      return store.runs().partitions(runId);
    }
  }
}

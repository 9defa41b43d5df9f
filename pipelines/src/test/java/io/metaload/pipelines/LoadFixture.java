package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunQueries;
import io.metaload.testing.TableComparison;
import io.metaload.transforms.read.SourceSpec.ReadPath;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.LoggerFactory;

/**
 * A config with an in-memory H2 metadata store and named source and target connections; it keeps
 * the read path each run's pipeline logged.
 */
final class LoadFixture {
  /**
   * {@link LoadPipeline}'s line for how a run reads its source: {@code run <id>:
   * <ReadPathChoice#describe()>}.
   */
  private static final Pattern READ_PATH_LINE =
      Pattern.compile("run (\\d+): (binary COPY pass-through .*|rows are decoded \\(.*)");

  final MetaloadConfig config;

  /** The read path each run of this fixture logged, by run id. */
  private final Map<Long, String> readPaths = new ConcurrentHashMap<>();

  LoadFixture(String name, ConnectionSpec source, ConnectionSpec target) {
    ConnectionSpec metadata =
        ConnectionSpec.of(
            "metadata",
            "jdbc:h2:mem:meta_" + name + "_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
            "sa",
            "");
    this.config =
        MetaloadConfig.of(
            Path.of("test-config.yaml"),
            metadata,
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
    return LoadDefinition.builder()
        .name(name)
        .sourceConnection("src")
        .sourceTable(sourceTable)
        .splitKey("id")
        .targetConnection("dst")
        .targetTable(targetTable);
  }

  /**
   * Loads PostgreSQL {@code sourceTable} into PostgreSQL {@code target} once per read path and
   * compares each copy with the source through the select list {@code columns}: binary pass-through
   * into a new {@code <prefix>_pass}; binary COPY decoded into {@code <prefix>_decoded}, which the
   * caller has created with a column narrower than the source's so that rows are decoded; and
   * through JDBC into a new {@code <prefix>_jdbc}, partitioned by the values 'a' and 'b' of the
   * source's {@code kind} column, a predicate COPY cannot take. Each run is asserted to have taken
   * its path.
   */
  void loadOnEveryReadPath(
      ConnectionSpec source,
      String sourceTable,
      ConnectionSpec target,
      String prefix,
      String columns) {
    define(load("pass", sourceTable, prefix + "_pass").batchSize(100).build());
    define(load("decoded", sourceTable, prefix + "_decoded").batchSize(100).build());
    define(
        load("jdbc", sourceTable, prefix + "_jdbc")
            .batchSize(100)
            .partitionStrategy(PartitionStrategy.LIST)
            .partitionColumn("kind")
            .partitionValues(List.of("a", "b"))
            .build());
    Map<String, ReadPath> expected =
        Map.of(
            "pass",
            ReadPath.COPY_PASS_THROUGH,
            "decoded",
            ReadPath.COPY_DECODED,
            "jdbc",
            ReadPath.JDBC);
    for (String path : List.of("pass", "decoded", "jdbc")) {
      long runId = run("DirectRunner", path).get(0).runId();
      ReadPathTaken taken = readPath(runId);
      assertThat(path + ": " + taken.describe(), taken.path(), equalTo(expected.get(path)));
      TableComparison.assertSameRows(
          source, sourceTable, target, prefix + "_" + path, columns, "id");
    }
  }

  /** Runs {@code loads}, keeping the read path each run's pipeline logs ({@link #readPath}). */
  List<RunReport> run(String runner, String... loads) {
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                runner.equals("FlinkRunner")
                    ? new String[] {
                      "--runner=FlinkRunner",
                      "--flinkMaster=[local]",
                      "--objectReuse=true",
                      "--parallelism=2"
                    }
                    : new String[] {"--runner=" + runner})
            .create();
    org.slf4j.Logger logger = LoggerFactory.getLogger(LoadPipeline.class);
    assertThat(
        "tests log through logback: " + logger.getClass(), logger instanceof Logger, equalTo(true));
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    ((Logger) logger).addAppender(lines);
    try {
      return new LoadRunner(config).run(List.of(loads), options);
    } finally {
      ((Logger) logger).detachAppender(lines);
      for (ILoggingEvent line : List.copyOf(lines.list)) {
        Matcher m = READ_PATH_LINE.matcher(line.getFormattedMessage());
        if (m.matches()) {
          readPaths.put(Long.parseLong(m.group(1)), m.group(2));
        }
      }
    }
  }

  RunQueries.RunSummary runSummary(long runId) {
    try (MetadataStore store = MetadataStore.open(config.metadata())) {
      return store.status().runs(runId, 1).get(0);
    }
  }

  /**
   * How run {@code runId} (run by this fixture) read its source, as its pipeline logged it; fails
   * when it logged none.
   */
  ReadPathTaken readPath(long runId) {
    String line = readPaths.get(runId);
    assertThat(
        "run " + runId + " logged how it reads its source; the runs that did: " + readPaths,
        line != null,
        equalTo(true));
    return new ReadPathTaken(line);
  }

  /**
   * The read path a run logged: {@link ReadPathChoice#describe()} of the choice its pipeline read
   * with.
   */
  static final class ReadPathTaken {
    private final String line;

    ReadPathTaken(String line) {
      this.line = line;
    }

    /** The path the line names. */
    ReadPath path() {
      if (line.startsWith("binary COPY pass-through ")) {
        return ReadPath.COPY_PASS_THROUGH;
      }
      if (line.endsWith("), read as binary COPY tuples")) {
        return ReadPath.COPY_DECODED;
      }
      assertThat("a read path: " + line, line, containsString("), read through JDBC ("));
      return ReadPath.JDBC;
    }

    /** The logged line: the path and why not a faster one. */
    String describe() {
      return line;
    }
  }

  LoadPlan plan(long runId) {
    try (MetadataStore store = MetadataStore.open(config.metadata())) {
      return store.runs().context(runId).plan();
    }
  }

  List<RunQueries.PartitionSummary> partitions(long runId) {
    try (MetadataStore store = MetadataStore.open(config.metadata())) {
      return store.status().partitions(runId);
    }
  }
}

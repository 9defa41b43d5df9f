package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * A source connection's {@code maxConnections} bounds the reader sessions metaload holds on it,
 * whatever parallelism the command asks for: the source's {@code pg_stat_activity} is sampled while
 * a Flink run with parallelism 4 reads, with and without a budget of 2.
 */
class ConnectionBudgetIT {
  private static final String SOURCE_DB = "metaload_src";

  @Test
  void readerSessionsNeverExceedTheSourcesConnectionBudget() throws Exception {
    ConnectionSpec source = TestDatabases.postgres(SOURCE_DB);
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS budget_orders",
        "CREATE TABLE budget_orders (id bigint PRIMARY KEY, note text)",
        "INSERT INTO budget_orders SELECT g, repeat('x', 200) || g FROM generate_series(1, 300000) g");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");

    long unlimited = peakReaders("budget_free", source, target, 0);
    long limited = peakReaders("budget_two", source, target, 2);

    assertThat(
        "without a budget the four workers read at once, which proves the sampling sees them",
        unlimited,
        greaterThan(2L));
    assertThat(limited, lessThanOrEqualTo(2L));
    assertThat(limited, greaterThan(0L));
  }

  /**
   * Runs the load and returns the most {@code metaload reader} sessions seen on the source at once.
   */
  private static long peakReaders(
      String name, ConnectionSpec source, ConnectionSpec target, int budget) throws Exception {
    TestDatabases.execute(target, "DROP TABLE IF EXISTS " + name);
    ConnectionSpec metadata =
        ConnectionSpec.of(
            "metadata",
            "jdbc:h2:mem:" + name + "_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
            "sa",
            "");
    MetaloadConfig config =
        MetaloadConfig.of(
            Path.of("budget.yaml"),
            metadata,
            Map.of(
                "src",
                    ConnectionSpec.of("src", source.url(), source.user(), source.password())
                        .withMaxConnections(budget),
                "dst", ConnectionSpec.of("dst", target.url(), target.user(), target.password())));
    try (MetadataStore store = MetadataStore.open(metadata)) {
      store
          .definitions()
          .upsertAll(
              List.of(
                  LoadDefinition.builder()
                      .name(name)
                      .sourceConnection("src")
                      .sourceTable("budget_orders")
                      .splitKey("id")
                      .batchSize(5000)
                      .targetConnection("dst")
                      .targetTable(name)
                      .build()));
    }
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=FlinkRunner",
                "--flinkMaster=[local]",
                "--objectReuse=true",
                "--parallelism=4")
            .create();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong peak = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              String sql =
                  "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'metaload reader' AND datname = '"
                      + SOURCE_DB
                      + "'";
              while (running.get()) {
                long now = Long.parseLong(TestDatabases.strings(source, sql).get(0));
                peak.accumulateAndGet(now, Math::max);
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.start();
    try {
      RunReport report = new LoadRunner(config).run(List.of(name), options).get(0);
      assertThat(report.rows(), equalTo(300_000L));
    } finally {
      running.set(false);
      sampler.join();
    }
    TableComparison.assertSameRows(source, "budget_orders", target, name, "id, note", "id");
    return peak.get();
  }
}

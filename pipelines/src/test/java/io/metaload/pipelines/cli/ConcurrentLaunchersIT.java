package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sixteen launchers (separate processes), one load each, sharing one metadata store, all standing
 * at once between taking their run's id and recording the run: each gets an id of its own and every
 * run succeeds. Ids taken as {@code MAX(run_id) + 1} are all the same there. The loads' own tables
 * live in the other database than a PostgreSQL or MariaDB store, so that sixteen launchers stay
 * within each server's connection limit; several launchers share an H2 store through H2's TCP
 * server.
 */
class ConcurrentLaunchersIT {
  private static final int LAUNCHERS = 16;
  private static final int ROWS = 20;

  @TempDir static Path dir;

  @ParameterizedTest(name = "a {0} metadata store")
  @ValueSource(strings = {"postgresql", "mariadb", "h2"})
  void launchersStartingRunsAtOnceEachGetARunIdOfTheirOwn(String kind) throws Exception {
    org.h2.tools.Server h2 =
        kind.equals("h2")
            ? org.h2.tools.Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start()
            : null;
    try {
      launchAtOnce(
          kind,
          kind.equals("postgresql")
              ? TestDatabases.freshPostgres("metaload_meta_launchers")
              : kind.equals("mariadb")
                  ? TestDatabases.freshMariadb("metaload_meta_launchers")
                  : ConnectionSpec.of(
                      "h2-launchers",
                      "jdbc:h2:tcp://127.0.0.1:"
                          + h2.getPort()
                          + "/"
                          + dir.resolve("launchers-store"),
                      "sa",
                      ""));
    } finally {
      if (h2 != null) {
        h2.stop();
      }
    }
  }

  private void launchAtOnce(String kind, ConnectionSpec store) throws Exception {
    boolean dataOnMaria = kind.equals("postgresql");
    ConnectionSpec source =
        dataOnMaria
            ? TestDatabases.mariadb("metaload_src")
            : TestDatabases.postgres("metaload_src");
    ConnectionSpec target =
        dataOnMaria
            ? TestDatabases.mariadb("metaload_dst")
            : TestDatabases.postgres("metaload_dst");
    if (dataOnMaria) {
      SampleTables.mariadb(source, "launch_src", ROWS);
    } else {
      SampleTables.postgres(source, "launch_src", ROWS);
    }
    Path config = dir.resolve(kind + "-config.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "metadata: { url: '" + store.url() + "', user: " + store.user() + " }",
            "connections:",
            "  src: { url: '" + source.url() + "', user: " + source.user() + " }",
            "  dst: { url: '" + target.url() + "', user: " + target.user() + " }",
            ""));
    for (String table :
        TestDatabases.strings(
            target,
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'launch\\_"
                + kind
                + "\\_%'")) {
      TestDatabases.execute(target, "DROP TABLE IF EXISTS " + table);
    }
    StringBuilder loads = new StringBuilder("loads:\n");
    for (int i = 0; i < LAUNCHERS; i++) {
      loads
          .append("  - { name: l")
          .append(i)
          .append(", source: { connection: src, table: launch_src }, splitKey: id, ")
          .append("target: { connection: dst, table: launch_")
          .append(kind)
          .append('_')
          .append(i)
          .append(" } }\n");
    }
    Path loadsFile = dir.resolve(kind + "-loads.yaml");
    Files.writeString(loadsFile, loads.toString());
    CliRun imported =
        CliRun.metaload("metadata", "import", "--config", config.toString(), loadsFile.toString());
    assertThat(imported.err, imported.exitCode, equalTo(0));

    Path pauses = Files.createDirectories(dir.resolve(kind + "-pauses"));
    List<MetaloadProcess> launchers = new ArrayList<>();
    try {
      for (int i = 0; i < LAUNCHERS; i++) {
        launchers.add(
            MetaloadProcess.start(
                dir.resolve(kind + "-l" + i + ".log"),
                MetaloadProcess.pauseAt("run-id-taken", pauses, 0),
                "run",
                "--config",
                config.toString(),
                "--load",
                "l" + i,
                "--runner=DirectRunner",
                "--parallelism=1"));
      }
      awaitArrivals(pauses.resolve("run-id-taken.arrivals"), launchers);
      MetaloadProcess.proceed(pauses, "run-id-taken");
      for (MetaloadProcess launcher : launchers) {
        int exit = launcher.await();
        assertThat(launcher.output(), exit, equalTo(0));
      }
    } finally {
      for (MetaloadProcess launcher : launchers) {
        launcher.close();
      }
    }
    assertThat(
        TestDatabases.strings(
            store, "SELECT COUNT(DISTINCT run_id) FROM load_run WHERE status = 'SUCCEEDED'"),
        equalTo(List.of(String.valueOf(LAUNCHERS))));
    for (int i = 0; i < LAUNCHERS; i++) {
      assertThat(TestDatabases.count(target, "launch_" + kind + "_" + i), equalTo((long) ROWS));
    }
  }

  /**
   * Waits until every launcher has stood at the pause point; fails with the output of one that
   * ended first.
   */
  private static void awaitArrivals(Path arrivals, List<MetaloadProcess> launchers)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (!Files.exists(arrivals) || Files.readAllLines(arrivals).size() < launchers.size()) {
      for (MetaloadProcess launcher : launchers) {
        if (!launcher.isAlive()) {
          throw new AssertionError(
              "a launcher ended before taking its run id:\n" + launcher.output());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            (Files.exists(arrivals) ? Files.readAllLines(arrivals).size() : 0)
                + " of "
                + launchers.size()
                + " launchers took a run id in four minutes");
      }
      Thread.sleep(50);
    }
  }
}

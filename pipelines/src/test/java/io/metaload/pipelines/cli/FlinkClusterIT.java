package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.startsWith;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunStatus;
import io.metaload.pipelines.flink.FlinkRest;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TestDatabases;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads on a real Flink 1.19 session cluster: a JobManager and two TaskManagers in their own JVMs,
 * started by {@code runner-configs/flink-cluster.sh} from the jars Maven resolved. The launcher is
 * a real process submitting with {@code --flinkMaster=localhost:<port>}; the TaskManagers can pause
 * at {@code batch-committed} (their environment names a pause directory) so a test can kill one of
 * them, or the launcher, in the middle of a load.
 */
class FlinkClusterIT {
  private static final int ROWS = 1_000_000;
  private static final String TABLE = "cluster_orders";
  private static final String COLUMNS =
      "id, customer_id, created_at, amount, status, country, note, paid, ship_date";
  private static final Path HERE = Path.of("").toAbsolutePath();

  /** The TaskManagers' zone, and another for the launcher, neither the databases' (UTC). */
  private static final String TASK_MANAGER_ZONE = "America/New_York";

  private static final String LAUNCHER_ZONE = "Europe/Berlin";
  private static final Path SCRIPT =
      HERE.resolveSibling("runner-configs").resolve("flink-cluster.sh");
  private static final Path JOB_JAR = HERE.resolve("target").resolve("metaload-job.jar");

  static Path dir;
  static Path pauses;
  static int restPort;
  static ConnectionSpec source;

  @BeforeAll
  static void startCluster() throws Exception {
    dir = Files.createDirectories(HERE.resolve("target").resolve("flink-cluster-it"));
    pauses = Files.createDirectories(dir.resolve("pauses"));
    clearPauses();
    MetaloadProcess.proceed(pauses, "batch-committed");
    Path tmEnv = dir.resolve("taskmanager.env");
    Files.writeString(
        tmEnv,
        "METALOAD_PAUSE_AT=batch-committed\nMETALOAD_PAUSE_DIR="
            + pauses
            + "\nMETALOAD_PAUSE_SKIP=4\n"
            + "TZ="
            + TASK_MANAGER_ZONE
            + "\n");
    restPort = freePort();
    // A killed TaskManager is noticed once its heartbeat RPCs fail
    // (heartbeat.rpc-failure-threshold, 2 by default), not only at
    // the timeout, and start-taskmanager waits until the JobManager no longer lists it; the
    // generous timeout only spares a live
    // TaskManager that a loaded machine starves for a while.
    cluster(
        Map.of("FLINK_TM_ENV_FILE", tmEnv.toString()),
        "start",
        "--taskmanagers",
        "2",
        "--slots",
        "2",
        "--port",
        Integer.toString(restPort),
        "--rpc-port",
        Integer.toString(freePort()),
        "--tm-memory",
        "1200m",
        "--conf",
        "heartbeat.interval=1000",
        "--conf",
        "heartbeat.timeout=60000");
    source = TestDatabases.postgres("metaload_cluster_src");
    if (!TestDatabases.tableExists(source, TABLE) || TestDatabases.count(source, TABLE) != ROWS) {
      SampleTables.postgres(source, TABLE, ROWS);
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (dir != null) {
      cluster(Map.of(), "stop");
    }
  }

  @Test
  void aMillionRowLoadRunsOnBothTaskManagersAndLoadsEveryRowExactly() throws Exception {
    clearPauses();
    MetaloadProcess.proceed(pauses, "batch-committed");
    KillableLoad load = load("cluster_full", "metaload_cluster_dst1");

    CompletedRun run = runOnCluster(load, "full");

    assertThat(run.output, run.exitCode, equalTo(0));
    assertExactTarget(load);
    RunQueries.RunSummary summary = load.runs().get(0);
    assertThat(summary.status, equalTo(RunStatus.SUCCEEDED));
    List<String> workers =
        KillableLoad.strings(
            load.metadata,
            "SELECT DISTINCT worker FROM load_batch WHERE run_id = " + summary.runId);
    List<String> taskManagers = List.of(taskManagerWorker(1), taskManagerWorker(2));
    assertThat("each TaskManager wrote batches: " + workers, workers, hasSize(2));
    assertThat(workers, everyItem(in(taskManagers)));
    assertThat(run.output, containsString("has 4 task slots: running with parallelism 4"));
  }

  @Test
  void aTaskManagerKilledMidLoadFailsTheRunWithExitOneAndTheResumeIsExact() throws Exception {
    clearPauses();
    KillableLoad load = load("cluster_tm_kill", "metaload_cluster_dst2");
    CompletedRun failed;
    try (MetaloadProcess launcher = startOnCluster(load, "tm-kill")) {
      launcher.awaitPause(pauses, "batch-committed");
      long pid = Long.parseLong(Files.readString(pauses.resolve("batch-committed.reached")).trim());
      int number = pid == taskManagerPid(1) ? 1 : 2;
      assertThat("the paused process is a TaskManager", pid, equalTo(taskManagerPid(number)));
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();
      MetaloadProcess.proceed(pauses, "batch-committed");
      failed = new CompletedRun(launcher.await(), launcher.output());
      cluster(Map.of(), "start-taskmanager", Integer.toString(number));
    }

    assertThat(failed.output, failed.exitCode, equalTo(1));
    RunQueries.RunSummary afterKill = load.runs().get(0);
    assertThat(afterKill.status, equalTo(RunStatus.FAILED));
    assertThat(
        "batches committed before the kill", load.protocolRows(afterKill.runId), greaterThan(0L));

    CompletedRun resumed = runOnCluster(load, "tm-kill-resume", "--resume");

    assertThat(resumed.output, resumed.exitCode, equalTo(0));
    assertExactTarget(load);
    RunQueries.RunSummary summary = load.runs().get(0);
    assertThat(summary.status, equalTo(RunStatus.SUCCEEDED));
    assertThat(summary.attempt, equalTo(2));
    assertThat("protocol rows", load.protocolRows(summary.runId), equalTo((long) ROWS));
  }

  @Test
  void aStoppedLauncherCancelsItsClusterJobAndLeavesARunThatResumesAtOnce() throws Exception {
    clearPauses();
    KillableLoad load = load("cluster_sigterm", "metaload_cluster_dst3");
    CompletedRun stopped;
    try (MetaloadProcess launcher = startOnCluster(load, "sigterm")) {
      launcher.awaitPause(pauses, "batch-committed");
      launcher.process.destroy();
      assertThat(
          "the launcher ends after cancelling",
          launcher.process.waitFor(90, TimeUnit.SECONDS),
          equalTo(true));
      stopped = new CompletedRun(launcher.process.exitValue(), launcher.output());
    }

    assertThat(stopped.output, stopped.exitCode, equalTo(143));
    assertThat(stopped.output, containsString("cancelling Flink job metaload-cluster_sigterm-run"));
    List<FlinkRest.Job> jobs = new ArrayList<>(new FlinkRest("localhost:" + restPort).jobs());
    jobs.removeIf(j -> !j.name().startsWith("metaload-cluster_sigterm-run"));
    assertThat(jobs.toString(), jobs, hasSize(1));
    assertThat(jobs.get(0).state(), equalTo("CANCELED"));
    RunQueries.RunSummary afterStop = load.runs().get(0);
    assertThat(afterStop.status, equalTo(RunStatus.FAILED));
    assertThat(
        afterStop.message, containsString("was stopped while job metaload-cluster_sigterm-run"));

    MetaloadProcess.proceed(pauses, "batch-committed");
    CompletedRun resumed = runOnCluster(load, "sigterm-resume", "--resume");

    assertThat(
        "resumed without waiting for the lock to expire: " + resumed.output,
        resumed.exitCode,
        equalTo(0));
    assertExactTarget(load);
    assertThat(load.runs().get(0).attempt, equalTo(2));
  }

  @Test
  void aResumeAfterTheLauncherWasKilledCancelsTheOrphanedJobFirst() throws Exception {
    clearPauses();
    KillableLoad load = load("cluster_sigkill", "metaload_cluster_dst5");
    long killed;
    try (MetaloadProcess launcher = startOnCluster(load, "sigkill")) {
      launcher.awaitPause(pauses, "batch-committed");
      killed = launcher.process.pid();
      launcher.kill();
    }
    assertThat(
        "the job outlives its launcher", activeJobs("metaload-cluster_sigkill-run"), hasSize(1));
    // Nothing to wait for: the lock's holder is a process of this host that is gone, so the resume
    // takes the lock over at once
    // (RunLock does not wait for its heartbeat to go stale).
    assertThat(
        "the killed launcher holds the lock",
        KillableLoad.strings(
            load.metadata, "SELECT owner FROM load_lock WHERE load_name = '" + load.name + "'"),
        contains(startsWith(killed + "@")));

    CompletedRun resumed;
    try (MetaloadProcess launcher = startOnCluster(load, "sigkill-resume", "--auto-resume")) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (!launcher
          .output()
          .contains("went on writing for a run to resume after its launcher was killed")) {
        assertThat(
            launcher.output(),
            launcher.process.isAlive() && System.nanoTime() < deadline,
            equalTo(true));
        Thread.sleep(50);
      }
      MetaloadProcess.proceed(pauses, "batch-committed");
      resumed = new CompletedRun(launcher.await(), launcher.output());
    }

    assertThat(resumed.output, resumed.exitCode, equalTo(0));
    assertThat(activeJobs("metaload-cluster_sigkill-run"), hasSize(0));
    assertExactTarget(load);
    assertThat(load.runs().get(0).attempt, equalTo(2));
    assertThat("protocol rows", load.protocolRows(load.runs().get(0).runId), equalTo((long) ROWS));
  }

  @Test
  void aPasswordReferenceIsResolvedOnTheTaskManagerNotShippedFromTheLauncher() throws Exception {
    clearPauses();
    MetaloadProcess.proceed(pauses, "batch-committed");
    KillableLoad load = load("cluster_secret", "metaload_cluster_dst4");
    String config =
        Files.readString(load.config)
            .replace(
                "  dst: { url: '" + load.target.url() + "', user: postgres }",
                "  dst: { url: '"
                    + load.target.url()
                    + "', user: postgres, password: '${env:METALOAD_LAUNCHER_ONLY_SECRET}' }");
    Files.writeString(load.config, config);

    CompletedRun run;
    try (MetaloadProcess launcher =
        MetaloadProcess.start(
            dir.resolve("secret.log"),
            Map.of("METALOAD_LAUNCHER_ONLY_SECRET", "launcher-side-value"),
            clusterArgs(load))) {
      run = new CompletedRun(launcher.await(), launcher.output());
    }

    assertThat(run.output, run.exitCode, equalTo(2));
    assertThat(
        run.output,
        containsString(
            "the password's environment variable METALOAD_LAUNCHER_ONLY_SECRET is not set in this process"));
    assertThat(
        "named by a TaskManager, not the launcher",
        run.output.contains(":" + taskManagerPid(1) + ")")
            || run.output.contains(":" + taskManagerPid(2) + ")"),
        equalTo(true));
  }

  /**
   * MariaDB date-times inside both zones' daylight-saving gaps and overlaps, and at the calendar's
   * edges, read by TaskManagers in New York for a launcher in Berlin, arrive in PostgreSQL as
   * stored.
   */
  @Test
  void zoneLessValuesArriveUnchangedFromTaskManagersAndALauncherInOtherZones() throws Exception {
    clearPauses();
    MetaloadProcess.proceed(pauses, "batch-committed");
    List<String> stamps =
        List.of(
            "2026-03-29 02:30:00.000000",
            "2026-03-08 02:30:00.250000",
            "2026-10-25 02:30:00.123456",
            "2026-11-01 01:30:00.500000",
            "1000-01-01 00:00:00.000000",
            "1582-10-10 12:00:00.000000",
            "9999-12-31 23:59:59.999999");
    ConnectionSpec maria = TestDatabases.mariadb("metaload_src");
    TestDatabases.execute(
        maria,
        "DROP TABLE IF EXISTS cluster_zone_free",
        "CREATE TABLE cluster_zone_free (id int NOT NULL PRIMARY KEY, t datetime(6) NOT NULL, d date NOT NULL)");
    for (int i = 0; i < stamps.size(); i++) {
      TestDatabases.execute(
          maria,
          "INSERT INTO cluster_zone_free VALUES ("
              + i
              + ", '"
              + stamps.get(i)
              + "', '"
              + stamps.get(i).substring(0, 10)
              + "')");
    }
    KillableLoad load =
        new KillableLoad(
            dir,
            "cluster_zones",
            "cluster_zone_free",
            maria,
            TestDatabases.freshPostgres("metaload_cluster_dst5"),
            2);
    CompletedRun run;
    try (MetaloadProcess launcher =
        MetaloadProcess.start(
            dir.resolve("zones.log"), Map.of("TZ", LAUNCHER_ZONE), clusterArgs(load))) {
      run = new CompletedRun(launcher.await(), launcher.output());
    }
    assertThat(run.output, run.exitCode, equalTo(0));
    List<String> expected = new ArrayList<>();
    for (String stamp : stamps) {
      expected.add(stamp + " " + stamp.substring(0, 10));
    }
    assertThat(
        KillableLoad.strings(
            load.target,
            "SELECT to_char(t, 'YYYY-MM-DD HH24:MI:SS.US') || ' ' || d::text FROM cluster_zone_free ORDER BY id"),
        equalTo(expected));
    for (int number = 1; number <= 2; number++) {
      String environment =
          new String(
              Files.readAllBytes(
                  Path.of("/proc", Long.toString(taskManagerPid(number)), "environ")),
              StandardCharsets.UTF_8);
      assertThat(
          "TaskManager " + number + " runs in " + TASK_MANAGER_ZONE,
          environment,
          containsString("TZ=" + TASK_MANAGER_ZONE));
    }
  }

  private static List<FlinkRest.Job> activeJobs(String namePrefix) throws Exception {
    return new FlinkRest("localhost:" + restPort).activeJobs(name -> name.startsWith(namePrefix));
  }

  private static KillableLoad load(String name, String targetDatabase) throws IOException {
    ConnectionSpec target = TestDatabases.freshPostgres(targetDatabase);
    return new KillableLoad(dir, name, TABLE, source, target, 20_000);
  }

  private static void assertExactTarget(KillableLoad load) {
    String digest =
        "SELECT COUNT(*) || ':' || SUM(hashtextextended(ROW("
            + COLUMNS
            + ")::text, 0)::numeric) FROM "
            + TABLE;
    assertThat(
        "target rows and their digest",
        KillableLoad.strings(load.target, digest),
        equalTo(KillableLoad.strings(source, digest)));
    assertThat("left in the target", load.leftovers(), equalTo(List.of()));
  }

  private static String[] clusterArgs(KillableLoad load, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                load.run(
                    "--runner=FlinkRunner",
                    "--flinkMaster=localhost:" + restPort,
                    "--filesToStage=" + JOB_JAR)));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private static MetaloadProcess startOnCluster(KillableLoad load, String log, String... extra)
      throws IOException {
    return MetaloadProcess.start(dir.resolve(log + ".log"), Map.of(), clusterArgs(load, extra));
  }

  private static CompletedRun runOnCluster(KillableLoad load, String log, String... extra)
      throws Exception {
    try (MetaloadProcess launcher = startOnCluster(load, log, extra)) {
      return new CompletedRun(launcher.await(), launcher.output());
    }
  }

  private static final class CompletedRun {
    final int exitCode;
    final String output;

    CompletedRun(int exitCode, String output) {
      this.exitCode = exitCode;
      this.output = output;
    }
  }

  private static void clearPauses() throws IOException {
    Files.deleteIfExists(pauses.resolve("batch-committed.reached"));
    Files.deleteIfExists(pauses.resolve("batch-committed.continue"));
  }

  private static long taskManagerPid(int number) throws Exception {
    return Long.parseLong(cluster(Map.of(), "taskmanager-pid", Integer.toString(number)).trim());
  }

  private static String taskManagerWorker(int number) throws Exception {
    return InetAddress.getLocalHost().getHostName() + ":" + taskManagerPid(number);
  }

  private static String cluster(Map<String, String> environment, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--dir", dir.resolve("cluster").toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new AssertionError("flink-cluster.sh " + String.join(" ", args) + " failed:\n" + out);
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

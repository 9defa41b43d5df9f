package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunStatus;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publication is fenced by the load's lock: real metaload processes race for a stale lock, and a
 * launcher that loses its lock between loading and publishing must not publish nor overwrite the
 * status written by the run's new holder.
 */
class PublicationFenceIT {
  private static final int ROWS = 8_000;
  private static final String TABLE = "fence_orders";
  private static final String COLUMNS =
      "id, customer_id, created_at, amount, status, country, note, paid, ship_date";

  @TempDir static Path dir;
  static ConnectionSpec source;
  static ConnectionSpec target;

  @BeforeAll
  static void createSource() {
    source = TestDatabases.postgres("metaload_src");
    target = TestDatabases.postgres("metaload_dst");
    SampleTables.postgres(source, TABLE, ROWS);
  }

  @Test
  void aLauncherThatLostItsLockBeforeTheSwapPublishesNothingAndLeavesTheNewHolderAlone()
      throws Exception {
    lostLockPublishesNothing(new KillableLoad(dir, "fence_lost", TABLE, source, target, 1_000));
  }

  @Test
  void theLockCheckIsPartOfTheSwapWhenTheMetadataStoreSharesTheTargetDatabase() throws Exception {
    lostLockPublishesNothing(
        new KillableLoad(dir, "fence_shared", TABLE, source, target, 1_000, target));
  }

  @Test
  void aLoadWhoseMetadataStoreSharesTheTargetDatabasePublishes() throws Exception {
    KillableLoad load =
        new KillableLoad(dir, "fence_shared_ok", TABLE, source, target, 1_000, target);

    CliRun run = CliRun.metaload(load.run("--runner=DirectRunner"));

    assertThat(run.err, run.exitCode, equalTo(0));
    TableComparison.assertSameRows(source, TABLE, target, TABLE, COLUMNS, "id");
    assertThat(load.publications(), equalTo(List.of(load.runs().get(0).runId + ":PUBLISHED")));
    assertThat(
        KillableLoad.strings(load.metadata, "SELECT lock_token FROM load_run").get(0),
        containsString("#"));
  }

  @Test
  void aTargetItsReadersKeepLockedIsRetriedThenLeftUntouchedAndTheRunResumesLater()
      throws Exception {
    KillableLoad load = new KillableLoad(dir, "fence_busy", TABLE, source, target, 1_000);
    load.appendConfig("publish: { lockTimeoutMillis: 300 }");
    Path pauses = Files.createDirectories(dir.resolve(load.name));
    try (MetaloadProcess process =
            MetaloadProcess.start(
                dir.resolve(load.name + ".log"),
                MetaloadProcess.pauseAt("before-swap", pauses, 0),
                load.run("--runner=DirectRunner"));
        Connection reader = target.open()) {
      process.awaitPause(pauses, "before-swap");
      reader.setAutoCommit(false);
      try (Statement s = reader.createStatement()) {
        s.execute("LOCK TABLE " + TABLE + " IN ACCESS SHARE MODE");
      }
      MetaloadProcess.proceed(pauses, "before-swap");

      assertThat(process.output(), process.await(), equalTo(1));
      assertThat(
          process.output(),
          containsString("other sessions kept locks on the target for 3 attempts of 300 ms"));
      assertThat(load.publications(), equalTo(List.of()));
      reader.commit();
    }
    assertThat("target rows", TestDatabases.count(target, TABLE), equalTo(0L));

    CliRun resumed = CliRun.metaload(load.run("--resume", "--runner=DirectRunner"));
    assertThat(resumed.err, resumed.exitCode, equalTo(0));
    TableComparison.assertSameRows(source, TABLE, target, TABLE, COLUMNS, "id");
    assertThat(load.publications(), equalTo(List.of(load.runs().get(0).runId + ":PUBLISHED")));
  }

  @Test
  void aPublishedRunCannotBeAbandonedOnlyCompleted() throws Exception {
    KillableLoad load = new KillableLoad(dir, "fence_abandon", TABLE, source, target, 1_000);
    Path pauses = Files.createDirectories(dir.resolve(load.name));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve(load.name + ".log"),
            MetaloadProcess.pauseAt("after-swap", pauses, 0),
            load.run("--runner=DirectRunner"))) {
      process.awaitPause(pauses, "after-swap");
      process.kill();
    }

    CliRun abandon = CliRun.metaload("abandon", "--config", load.config.toString(), "--run", "1");
    assertThat(abandon.err, abandon.exitCode, equalTo(2));
    assertThat(abandon.err, containsString("run 1 has already been published into " + TABLE));
    assertThat(abandon.err, containsString("--resume"));

    CliRun both = CliRun.metaload(load.run("--resume", "--auto-resume", "--runner=DirectRunner"));
    assertThat(both.err, both.exitCode, equalTo(2));
    assertThat(both.err, containsString("do not combine it with --resume"));

    CliRun resumed = CliRun.metaload(load.run("--resume", "--runner=DirectRunner"));
    assertThat(resumed.err, resumed.exitCode, equalTo(0));
    assertThat(load.runs().get(0).status, equalTo(RunStatus.SUCCEEDED));
    TableComparison.assertSameRows(source, TABLE, target, TABLE, COLUMNS, "id");
  }

  private void lostLockPublishesNothing(KillableLoad load) throws Exception {
    Path pauses = Files.createDirectories(dir.resolve(load.name));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve(load.name + ".log"),
            MetaloadProcess.pauseAt("before-swap", pauses, 0),
            load.run("--runner=DirectRunner"))) {
      process.awaitPause(pauses, "before-swap");

      TestDatabases.execute(
          load.metadata,
          "UPDATE load_lock SET owner = '1@another-host#feed', heartbeat_at = CURRENT_TIMESTAMP WHERE load_name = '"
              + load.name
              + "'",
          "UPDATE load_run SET attempt = attempt + 1, status = 'RUNNING', message = NULL");
      MetaloadProcess.proceed(pauses, "before-swap");

      assertThat(process.output(), process.await(), equalTo(1));
      assertThat(
          process.output(),
          containsString("lost the lock of load '" + load.name + "' before publishing"));
    }
    assertThat("target rows", TestDatabases.count(target, TABLE), equalTo(0L));
    assertThat(load.publications(), equalTo(List.of()));
    RunQueries.RunSummary run = load.runs().get(0);
    assertThat("the new holder's status", run.status, equalTo(RunStatus.RUNNING));
    assertThat(run.message, nullValue());
    assertThat(run.attempt, equalTo(2));
  }

  @Test
  void twoLaunchersRacingForAStaleLockPublishExactlyOnce() throws Exception {
    KillableLoad load = new KillableLoad(dir, "fence_race", TABLE, source, target, 1_000);
    TestDatabases.execute(
        load.metadata,
        "INSERT INTO load_lock (load_name, run_id, owner, acquired_at, heartbeat_at) VALUES ('"
            + load.name
            + "', 0, '4242@gone-host#dead', CURRENT_TIMESTAMP - INTERVAL '1 hour', CURRENT_TIMESTAMP - INTERVAL '1 hour')");
    Path pauses = Files.createDirectories(dir.resolve("fence_race"));
    Map<String, String> pauseAfterLock = MetaloadProcess.pauseAt("after-lock", pauses, 0);
    List<MetaloadProcess> launchers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      launchers.add(
          MetaloadProcess.start(
              dir.resolve("fence_race_" + i + ".log"),
              pauseAfterLock,
              load.run("--auto-resume", "--runner=DirectRunner")));
    }
    MetaloadProcess winner = null;
    MetaloadProcess loser = null;
    for (long deadline = System.nanoTime() + 180_000_000_000L;
        System.nanoTime() < deadline && loser == null;
        Thread.sleep(50)) {
      for (MetaloadProcess p : launchers) {
        if (!p.process.isAlive()) {
          loser = p;
        }
      }
    }
    assertThat("one launcher gave up", loser != null, equalTo(true));
    winner = launchers.get(0) == loser ? launchers.get(1) : launchers.get(0);
    winner.awaitPause(pauses, "after-lock");
    MetaloadProcess.proceed(pauses, "after-lock");

    try (MetaloadProcess first = launchers.get(0);
        MetaloadProcess second = launchers.get(1)) {
      assertThat(loser.output(), loser.await(), equalTo(5));
      assertThat(loser.output(), containsString("is being run by"));
      assertThat(winner.output(), winner.await(), equalTo(0));
    }
    List<RunQueries.RunSummary> runs = load.runs();
    assertThat(runs, hasSize(1));
    assertThat(runs.get(0).status, equalTo(RunStatus.SUCCEEDED));
    assertThat(load.publications(), equalTo(List.of(runs.get(0).runId + ":PUBLISHED")));
    TableComparison.assertSameRows(source, TABLE, target, TABLE, COLUMNS, "id");
  }
}

package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source connection's {@code queryTimeout} stops a read that hangs: with the source table locked
 * by another session once planning is done, the readers' queries wait behind the lock until the
 * timeout ends them, the run fails with exit code 1 naming the timeout instead of hanging, and once
 * the lock is gone {@code --auto-resume} loads the table exactly. Planning keeps to the same
 * timeout.
 */
class ReadTimeoutIT {
  private static final String COLUMNS =
      "id, customer_id, created_at, amount, status, country, note, paid, ship_date";

  @TempDir static Path dir;

  @Test
  void aReadBlockedPastTheQueryTimeoutFailsTheRunAndResumesOnceFree() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    SampleTables.postgres(source, "timeout_orders", 20_000);
    KillableLoad load =
        new KillableLoad(
            dir,
            "timeout",
            "timeout_orders",
            source,
            TestDatabases.postgres("metaload_dst"),
            2_000);
    Files.writeString(
        load.config,
        Files.readString(load.config)
            .replaceFirst("(  src: \\{[^}]*)\\}", "$1, queryTimeout: 1s }"));
    Path pauses = Files.createDirectories(dir.resolve("timeout"));
    CompletableFuture<Void> locked = new CompletableFuture<>();
    try (Connection blocker = source.open();
        MetaloadProcess process =
            MetaloadProcess.start(
                dir.resolve("timeout.log"),
                MetaloadProcess.pauseAt("staging-created", pauses, 0),
                load.run("--runner=DirectRunner"))) {
      process.awaitPause(pauses, "staging-created");
      blocker.setAutoCommit(false);
      int blockerPid = blocker.unwrap(org.postgresql.PGConnection.class).getBackendPID();
      CompletableFuture.runAsync(
          () -> {
            try (Statement s = blocker.createStatement()) {
              s.execute("LOCK TABLE timeout_orders IN ACCESS EXCLUSIVE MODE");
              locked.complete(null);
            } catch (Exception e) {
              locked.completeExceptionally(e);
            }
          });
      // The readers start once the blocker's lock on the table is granted or queued (pg_locks lists
      // it either way).
      TestDatabases.awaitTrue(
          source,
          "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE pid = "
              + blockerPid
              + " AND relation = 'timeout_orders'::regclass AND mode = 'AccessExclusiveLock') THEN 1 ELSE 0 END",
          120);
      MetaloadProcess.proceed(pauses, "staging-created");

      assertThat(process.output(), process.await(), equalTo(1));
      assertThat(process.output(), containsString("statement timeout"));
      locked.get(60, TimeUnit.SECONDS);
      blocker.rollback();
    }

    CliRun resumed = CliRun.metaload(load.run("--auto-resume", "--runner=DirectRunner"));
    assertThat(resumed.err, resumed.exitCode, equalTo(0));
    TableComparison.assertSameRows(
        source, "timeout_orders", load.target, "timeout_orders", COLUMNS, "id");
  }

  @Test
  void planningBlockedPastTheQueryTimeoutFailsBeforeAnythingIsWritten() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    SampleTables.postgres(source, "timeout_plan", 5_000);
    KillableLoad load =
        new KillableLoad(
            dir,
            "timeout_plan",
            "timeout_plan",
            source,
            TestDatabases.postgres("metaload_dst"),
            1_000);
    Files.writeString(
        load.config,
        Files.readString(load.config)
            .replaceFirst("(  src: \\{[^}]*)\\}", "$1, queryTimeout: 1s }"));
    try (Connection blocker = source.open();
        Statement s = blocker.createStatement()) {
      blocker.setAutoCommit(false);
      s.execute("LOCK TABLE timeout_plan IN ACCESS EXCLUSIVE MODE");

      CliRun blocked = CliRun.metaload(load.run("--runner=DirectRunner"));

      assertThat(blocked.err, blocked.exitCode, equalTo(1));
      assertThat(blocked.err, containsString("statement timeout"));
      assertThat("no run was recorded", load.runs().size(), equalTo(0));
      blocker.rollback();
    }
    CliRun free = CliRun.metaload(load.run("--runner=DirectRunner"));
    assertThat(free.err, free.exitCode, equalTo(0));
    TableComparison.assertSameRows(
        source, "timeout_plan", load.target, "timeout_plan", COLUMNS, "id");
  }
}

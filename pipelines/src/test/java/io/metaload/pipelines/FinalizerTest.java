package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.plan.RunPlanner;
import io.metaload.metadata.store.BatchProtocol;
import io.metaload.metadata.store.BatchRecord;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunContext;
import io.metaload.metadata.store.RunLock;
import io.metaload.metadata.store.RunStatus;
import io.metaload.testing.TestDatabases;
import io.metaload.transforms.target.TargetKinds;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finalize publishes only when every count matches; otherwise the target stays as it was. */
class FinalizerTest {
  private final ConnectionSpec db = TestDatabases.h2("finalizer_test");

  @Test
  void aKeyRangeNoBatchReadLeavesTheTargetUntouchedAndNamesPartitionAndKeys() throws Exception {
    TestDatabases.execute(
        db,
        "DROP TABLE IF EXISTS fin_source",
        "DROP TABLE IF EXISTS fin_target",
        "CREATE TABLE fin_source (id BIGINT PRIMARY KEY, v VARCHAR(10))",
        "INSERT INTO fin_source SELECT X, 'v' FROM SYSTEM_RANGE(1, 100)",
        "CREATE TABLE fin_target (id BIGINT PRIMARY KEY, v VARCHAR(10))",
        "INSERT INTO fin_target VALUES (-1, 'old')");
    LoadFixture fixture = new LoadFixture("finalizer", db, db);
    fixture.define(LoadFixture.load("fin", "fin_source", "fin_target").build());

    try (MetadataStore store = MetadataStore.open(fixture.config.metadata())) {
      RunContext run =
          store
              .runs()
              .start(
                  new RunPlanner(fixture.config).plan(store.definitions().get("fin")),
                  "test",
                  null);
      TargetKinds.target(db).prepare(run);
      TestDatabases.execute(
          db, "INSERT INTO " + run.staging() + " SELECT * FROM fin_source WHERE id < 100");
      try (Connection c = store.connection()) {
        BatchProtocol.recordBatches(
            c, List.of(BatchRecord.of(run.runId(), "fin", "p0:1:99", 0, 1, 99, 99, 99, 0, 0, 1)));
      }

      RunLock lock = RunLock.acquire(store, "fin", run.runId());
      MetaloadException e =
          assertThrows(
              MetaloadException.class,
              () ->
                  new Finalizer(store)
                      .finalizeRun(RunAttempt.of(run, 1, List.of(), 0, null), db, db, lock));

      assertThat(e.exitCode(), equalTo(ExitCode.VALIDATION_MISMATCH));
      assertThat(e.getMessage(), containsString("partition 0"));
      assertThat(e.getMessage(), containsString("keys 100 to 100 were not read and hold 1 rows"));
      assertThat(TestDatabases.count(db, "fin_target"), equalTo(1L));
      assertThat(store.status().partitions(run.runId()).get(0).status, equalTo(RunStatus.FAILED));
    }
  }

  @Test
  void matchingCountsSwapStagingIntoTheTarget() throws Exception {
    TestDatabases.execute(
        db,
        "DROP TABLE IF EXISTS ok_source",
        "DROP TABLE IF EXISTS ok_target",
        "CREATE TABLE ok_source (id BIGINT PRIMARY KEY, v VARCHAR(10))",
        "INSERT INTO ok_source SELECT X, 'v' FROM SYSTEM_RANGE(1, 50)",
        "CREATE TABLE ok_target (id BIGINT PRIMARY KEY, v VARCHAR(10))",
        "INSERT INTO ok_target VALUES (-1, 'old')");
    LoadFixture fixture = new LoadFixture("finalizer_ok", db, db);
    fixture.define(LoadFixture.load("ok", "ok_source", "ok_target").build());

    try (MetadataStore store = MetadataStore.open(fixture.config.metadata())) {
      RunContext run =
          store
              .runs()
              .start(
                  new RunPlanner(fixture.config).plan(store.definitions().get("ok")), "test", null);
      TargetKinds.target(db).prepare(run);
      TestDatabases.execute(db, "INSERT INTO " + run.staging() + " SELECT * FROM ok_source");
      try (Connection c = store.connection()) {
        BatchProtocol.recordBatches(
            c, List.of(BatchRecord.of(run.runId(), "ok", "p0:1:50", 0, 1, 50, 50, 50, 0, 0, 1)));
      }

      RunLock lock = RunLock.acquire(store, "ok", run.runId());
      assertThat(
          new Finalizer(store).finalizeRun(RunAttempt.of(run, 1, List.of(), 0, null), db, db, lock),
          equalTo(50L));

      assertThat(TestDatabases.count(db, "ok_target"), equalTo(50L));
      assertThat(TestDatabases.tableExists(db, run.staging().toString()), equalTo(false));
      assertThat(store.status().runs(run.runId(), 1).get(0).status, equalTo(RunStatus.SUCCEEDED));
    }
  }
}

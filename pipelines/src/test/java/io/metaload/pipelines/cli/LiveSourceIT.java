package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunStatus;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full loads while another connection keeps inserting, updating and deleting rows of the source.
 * PostgreSQL (1,000,000 rows): the run succeeds and the target equals a copy of the source taken in
 * the run's exported snapshot. MariaDB, which cannot share a snapshot: the run succeeds, its
 * batches tile the key range, and every row the changer never touched is in the target exactly.
 */
class LiveSourceIT {
  private static final int ROWS = 1_000_000;
  private static final String TABLE = "live_orders";
  private static final String COLUMNS =
      "id, customer_id, created_at, amount, status, country, note, paid, ship_date";

  @TempDir static Path dir;

  @Test
  void aFullLoadOfAChangingSourceEqualsTheSourceAsOfTheRunsSnapshot() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    SampleTables.postgres(source, TABLE, ROWS);
    TestDatabases.execute(source, "DROP TABLE IF EXISTS live_orders_at_snapshot");
    KillableLoad load = new KillableLoad(dir, "live", TABLE, source, target, 20_000);
    Path pauses = Files.createDirectories(dir.resolve("live"));

    try (SourceChanger changer = SourceChanger.start(source, ROWS)) {
      Thread.sleep(300);
      long changesDuring;
      int exit;
      String output;
      try (MetaloadProcess process =
          MetaloadProcess.start(
              dir.resolve("live.log"),
              MetaloadProcess.pauseAt("after-run-row", pauses, 0),
              load.run("--parallelism=2"))) {
        process.awaitPause(pauses, "after-run-row");
        String snapshot =
            KillableLoad.strings(load.metadata, "SELECT source_snapshot FROM load_run").get(0);
        copyInSnapshot(source, snapshot);
        long changesBefore = changer.changes.get();
        MetaloadProcess.proceed(pauses, "after-run-row");
        exit = process.await();
        output = process.output();
        changesDuring = changer.changes.get() - changesBefore;
      }
      changer.close();

      assertThat(output, exit, equalTo(0));
      assertThat("source changes while the run loaded", changesDuring, greaterThan(100L));
      TableComparison.assertSameRows(
          source, "live_orders_at_snapshot", target, TABLE, COLUMNS, "id");
      assertThat(
          "the source moved on",
          checksum(source, TABLE),
          not(equalTo(checksum(source, "live_orders_at_snapshot"))));
      RunQueries.RunSummary run = load.runs().get(0);
      assertThat(run.status, equalTo(RunStatus.SUCCEEDED));
      System.out.printf(
          "live source: %,d changes (%,d inserts, %,d updates, %,d deletes) in all, %,d while the run loaded; "
              + "%,d rows published, equal to the snapshot copy%n",
          changer.changes.get(),
          changer.inserts.get(),
          changer.updates.get(),
          changer.deletes.get(),
          changesDuring,
          run.rowsWritten);
    }
  }

  @Test
  void aFullLoadOfAChangingMariaDbSourceLoadsEveryRowItDidNotSeeChange() throws Exception {
    int rows = 200_000;
    ConnectionSpec source = TestDatabases.mariadb("metaload_src");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    SampleTables.mariadb(source, "live_maria", rows);
    KillableLoad load = new KillableLoad(dir, "live_maria", "live_maria", source, target, 5_000);
    int exit;
    String output;
    long changes;
    List<Long> touched;
    try (SourceChanger changer = SourceChanger.start(source, rows, "live_maria");
        MetaloadProcess process =
            MetaloadProcess.start(
                dir.resolve("live_maria.log"), Map.of(), load.run("--parallelism=2"))) {
      exit = process.await();
      output = process.output();
      changer.close();
      changes = changer.changes.get();
      touched = new ArrayList<>(changer.touched);
    }

    assertThat(output, exit, equalTo(0));
    assertThat("source changes", changes, greaterThan(100L));
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS live_maria_untouched",
        "CREATE TABLE live_maria_untouched AS SELECT * FROM live_maria");
    for (int i = 0; i < touched.size(); i += 500) {
      String ids =
          touched.subList(i, Math.min(touched.size(), i + 500)).stream()
              .map(String::valueOf)
              .collect(Collectors.joining(","));
      TestDatabases.execute(source, "DELETE FROM live_maria_untouched WHERE id IN (" + ids + ")");
      TestDatabases.execute(target, "DELETE FROM live_maria WHERE id IN (" + ids + ")");
    }
    TableComparison.assertSameRows(
        source, "live_maria_untouched", target, "live_maria", COLUMNS, "id");
    RunQueries.RunSummary run = load.runs().get(0);
    assertThat(run.status, equalTo(RunStatus.SUCCEEDED));
    System.out.printf(
        "live MariaDB source: %,d changes touching %,d ids while loading %,d rows; run SUCCEEDED, %,d rows published%n",
        changes, touched.size(), rows, run.rowsWritten);
  }

  private static void copyInSnapshot(ConnectionSpec source, String snapshot) throws SQLException {
    try (Connection c = source.open()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement s = c.createStatement()) {
        s.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
        s.execute("CREATE TABLE live_orders_at_snapshot AS SELECT * FROM " + TABLE);
      }
      c.commit();
    }
  }

  private static String checksum(ConnectionSpec spec, String table) {
    return KillableLoad.strings(
            spec,
            "SELECT count(*) || ':' || sum(hashtextextended(t::text, 0)) FROM " + table + " t")
        .get(0);
  }

  /** Inserts, updates and deletes rows of the source on its own connection until closed. */
  private static final class SourceChanger implements AutoCloseable {
    final AtomicLong changes = new AtomicLong();
    final AtomicLong inserts = new AtomicLong();
    final AtomicLong updates = new AtomicLong();
    final AtomicLong deletes = new AtomicLong();
    final Set<Long> touched = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private volatile Throwable failure;

    private SourceChanger(ConnectionSpec source, int rows, String table) {
      thread = new Thread(() -> run(source, rows, table), "source-changer");
    }

    static SourceChanger start(ConnectionSpec source, int rows) {
      return start(source, rows, TABLE);
    }

    static SourceChanger start(ConnectionSpec source, int rows, String table) {
      SourceChanger changer = new SourceChanger(source, rows, table);
      changer.thread.start();
      return changer;
    }

    private void run(ConnectionSpec source, int rows, String table) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      long nextId = rows + 1;
      boolean maria = source.url().startsWith("jdbc:mariadb:");
      try (Connection c = source.open();
          PreparedStatement update =
              c.prepareStatement(
                  "UPDATE " + table + " SET amount = amount + 1, status = 'CHANGED' WHERE id = ?");
          PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?");
          PreparedStatement insert =
              c.prepareStatement(
                  (maria ? "INSERT IGNORE INTO " : "INSERT INTO ")
                      + table
                      + " SELECT ?, 1, timestamp '2025-01-01 00:00:00', 1.00, 'NEW', 'DE', 'inserted while loading', false, NULL"
                      + (maria ? "" : " ON CONFLICT (id) DO NOTHING"))) {
        while (!stop.get()) {
          long id = random.nextLong(1, rows + 1);
          int op = random.nextInt(3);
          PreparedStatement ps = op == 0 ? update : op == 1 ? delete : insert;
          long changed = op == 2 && random.nextBoolean() ? nextId++ : id;
          ps.setLong(1, changed);
          touched.add(changed);
          if (ps.executeUpdate() > 0) {
            changes.incrementAndGet();
            (op == 0 ? updates : op == 1 ? deletes : inserts).incrementAndGet();
          }
          if (changes.get() % 20 == 0) {
            Thread.sleep(5);
          }
        }
      } catch (SQLException | InterruptedException | RuntimeException e) {
        failure = e;
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join();
      if (failure != null) {
        throw new AssertionError("the source changer failed", failure);
      }
    }
  }
}

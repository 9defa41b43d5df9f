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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load with {@code sla: 2s} held in the middle of its batches is marked at risk and then missed
 * on its run, with a warning in the log, and {@code status --run} says so; the run itself goes on
 * to succeed. A contract's {@code sla} holds the same way for a load that sets none.
 */
class SlaIT {
  @TempDir static Path dir;

  @Test
  void aRunPastItsSlaIsMarkedAtRiskThenMissedAndStillCompletes() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    SampleTables.postgres(source, "sla_orders", 30_000);
    KillableLoad load =
        new KillableLoad(
            dir, "sla", "sla_orders", source, TestDatabases.postgres("metaload_dst"), 2_000);
    load.redefine("sla: 2s");
    Path pauses = Files.createDirectories(dir.resolve("sla"));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve("sla.log"),
            MetaloadProcess.pauseAt("batch-committed", pauses, 2),
            load.run())) {
      process.awaitPause(pauses, "batch-committed");
      assertThat(slaStateWithin10s(load, "MISSED"), equalTo("MISSED"));
      assertThat(
          process.output(), containsString("run 1 of load 'sla' has used 80% of its SLA of 2s"));
      assertThat(process.output(), containsString("run 1 of load 'sla' has missed its SLA of 2s"));
      MetaloadProcess.proceed(pauses, "batch-committed");
      assertThat(process.output(), process.await(), equalTo(0));
    }
    CliRun status = CliRun.metaload("status", "--config", load.config.toString(), "--run", "1");
    assertThat(status.out, containsString("SLA: 2s, missed"));
    assertThat(TestDatabases.count(load.target, "sla_orders"), equalTo(30_000L));
  }

  @Test
  void aContractsSlaHoldsForALoadThatSetsNone() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    SampleTables.postgres(source, "sla_contract_orders", 30_000);
    KillableLoad load =
        new KillableLoad(
            dir,
            "sla_contract",
            "sla_contract_orders",
            source,
            TestDatabases.postgres("metaload_dst"),
            2_000);
    Path contract = dir.resolve("sla-contract.yaml");
    Files.writeString(
        contract,
        "contracts:\n  - load: sla_contract\n    owner: team@example.com\n    sla: 2s\n    quality:\n"
            + "      - check: row_count > 0\n");
    CliRun imported =
        CliRun.metaload(
            "metadata", "import", "--config", load.config.toString(), contract.toString());
    assertThat(imported.err, imported.exitCode, equalTo(0));
    Path pauses = Files.createDirectories(dir.resolve("sla_contract"));
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve("sla_contract.log"),
            MetaloadProcess.pauseAt("batch-committed", pauses, 2),
            load.run())) {
      process.awaitPause(pauses, "batch-committed");
      assertThat(slaStateWithin10s(load, "MISSED"), equalTo("MISSED"));
      assertThat(
          process.output(),
          containsString("run 1 of load 'sla_contract' has missed its SLA of 2s"));
      MetaloadProcess.proceed(pauses, "batch-committed");
      assertThat(process.output(), process.await(), equalTo(0));
    }
    assertThat(TestDatabases.count(load.target, "sla_contract_orders"), equalTo(30_000L));
  }

  @Test
  void aRunWithSlaActionFailIsStoppedAtItsSlaAndResumesExactly() throws Exception {
    ConnectionSpec source = TestDatabases.postgres("metaload_src");
    SampleTables.postgres(source, "sla_fail_orders", 30_000);
    KillableLoad load =
        new KillableLoad(
            dir,
            "sla_fail",
            "sla_fail_orders",
            source,
            TestDatabases.postgres("metaload_dst"),
            2_000);
    load.redefine("sla: 2s, slaAction: fail");
    Path pauses = Files.createDirectories(dir.resolve("sla_fail"));
    Path result = dir.resolve("sla-fail-result.json");
    try (MetaloadProcess process =
        MetaloadProcess.start(
            dir.resolve("sla_fail.log"),
            MetaloadProcess.pauseAt("batch-committed", pauses, 2),
            load.run("--result-file=" + result))) {
      assertThat(
          "held after two batches, the process stops itself at its SLA",
          process.await(),
          equalTo(1));
      assertThat(
          process.output(),
          containsString(
              "run 1 of load 'sla_fail' missed its SLA of 2s and was stopped (slaAction: fail)"));
      assertThat(process.output(), containsString("\"exitCode\":1"));
    }
    assertThat(
        KillableLoad.strings(load.metadata, "SELECT status FROM load_run WHERE run_id = 1").get(0),
        equalTo("FAILED"));
    assertThat(Files.readString(result), containsString("\"exitCode\" : 1"));

    load.redefine("sla: 1h, slaAction: fail");
    CliRun resumed = CliRun.metaload(load.run("--auto-resume"));
    assertThat(resumed.err, resumed.exitCode, equalTo(0));
    assertThat(resumed.out, containsString("rows carried over from earlier attempts"));
    TableComparison.assertSameRows(
        source,
        "sla_fail_orders",
        load.target,
        "sla_fail_orders",
        "id, customer_id, created_at, amount, status, country, note, paid, ship_date",
        "id");
  }

  /** Run 1's SLA state once it is {@code wanted}, or as it is after ten seconds. */
  private static String slaStateWithin10s(KillableLoad load, String wanted) throws Exception {
    String state = "";
    for (int i = 0; i < 100 && !state.equals(wanted); i++) {
      Thread.sleep(100);
      state =
          String.valueOf(
              KillableLoad.strings(load.metadata, "SELECT sla_state FROM load_run WHERE run_id = 1")
                  .get(0));
    }
    return state;
  }
}

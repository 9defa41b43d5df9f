package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Malformed values of the progress, watch and template options are usage errors (exit 2) that say
 * what is wrong, before anything runs.
 */
class CommandOptionsTest {
  @TempDir Path dir;

  private final ConnectionSpec db = TestDatabases.h2("command_options_test");
  private H2Loads loads;

  @BeforeEach
  void defineLoads() throws Exception {
    SampleTables.h2(db, "opt_source", 100);
    TestDatabases.execute(db, "DROP TABLE IF EXISTS opt_target");
    loads =
        new H2Loads(
            dir,
            db,
            "loads:\n  - { name: opt, source: { connection: db, table: opt_source }, splitKey: id, "
                + "target: { connection: db, table: opt_target } }\n");
  }

  @Test
  void aMalformedProgressIntervalIsRefusedBeforeTheRun() {
    CliRun run = loads.run("--load", "opt", "--progress-every", "soon");
    assertThat(run.exitCode, equalTo(2));
    assertThat(run.err, containsString("--progress-every: 'soon' is not a duration"));
    assertThat(TestDatabases.tableExists(db, "opt_target"), equalTo(false));
  }

  @Test
  void aMetricsPortOutsideTheRangeIsRefusedBeforeTheRun() {
    CliRun run = loads.run("--load", "opt", "--metrics-port", "70000");
    assertThat(run.exitCode, equalTo(2));
    assertThat(run.err, containsString("--metrics-port must be from 1 to 65535, was 70000"));
    assertThat(TestDatabases.tableExists(db, "opt_target"), equalTo(false));
  }

  /**
   * picocli reads {@code ${...}} in a description as a variable: a missing one prints as "null".
   */
  @Test
  void everyHelpTextShowsParameterReferencesAsWrittenAndNoUnresolvedVariable() {
    CommandLine metaload = new CommandLine(new Metaload());
    List<CommandLine> commands = new ArrayList<>(List.of(metaload));
    for (int i = 0; i < commands.size(); i++) {
      commands.addAll(commands.get(i).getSubcommands().values());
    }
    for (CommandLine command : commands) {
      String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
      assertThat(
          command.getCommandName() + ":\n" + help,
          help.matches("(?s).*\\bnull\\b.*"),
          equalTo(false));
    }
    for (String name : List.of("run", "validate")) {
      assertThat(
          metaload.getSubcommands().get(name).getUsageMessage(CommandLine.Help.Ansi.OFF),
          containsString("${param.<name>}"));
    }
  }

  @Test
  void watchNeedsARunAndAWellFormedInterval() {
    CliRun noRun = CliRun.metaload("status", "--config", loads.config.toString(), "--watch");
    assertThat(noRun.exitCode, equalTo(2));
    assertThat(noRun.err, containsString("--watch follows one run: give --run <id>"));
    CliRun badEvery =
        CliRun.metaload(
            "status",
            "--config",
            loads.config.toString(),
            "--run",
            "1",
            "--watch",
            "--every",
            "often");
    assertThat(badEvery.exitCode, equalTo(2));
    assertThat(badEvery.err, containsString("--every: 'often' is not a duration"));
  }

  @Test
  void aTemplateOfAnUnknownLoadNamesTheKnownOnes() {
    CliRun run = CliRun.metaload("template", "--config", loads.config.toString(), "--load", "nope");
    assertThat(run.exitCode, equalTo(2));
    assertThat(run.err, containsString("unknown load 'nope'"));
    assertThat(run.err, containsString("opt"));
  }
}

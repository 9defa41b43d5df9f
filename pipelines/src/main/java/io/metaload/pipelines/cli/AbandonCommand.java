package io.metaload.pipelines.cli;

import io.metaload.pipelines.Abandoner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code metaload abandon}: drops an unfinished run's staging and marks it abandoned. */
@Command(
    name = "abandon",
    mixinStandardHelpOptions = true,
    description =
        "Gives up an unfinished run: drops its staging table and ledger (the target is untouched) and marks it ABANDONED.")
final class AbandonCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(
      names = "--run",
      required = true,
      paramLabel = "<id>",
      description = "The run to abandon.")
  long runId;

  @Override
  public Integer call() {
    new Abandoner(config.load()).abandon(runId);
    spec.commandLine().getOut().println("run " + runId + " abandoned");
    spec.commandLine().getOut().flush();
    return 0;
  }
}

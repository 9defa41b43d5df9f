package io.metaload.pipelines.cli;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code metaload} command. Exit codes: 0 success, 1 load failed, 2 bad usage or config, 3 a
 * database unreachable, 4 validation mismatch, 5 run conflict. On failure the last line on stderr
 * is a JSON object with run, load, partition, batch, error class and message.
 */
@Command(
    name = "metaload",
    mixinStandardHelpOptions = true,
    version = "metaload 0.1.0",
    description = "Metadata-driven batch loader for relational tables, built on Apache Beam.",
    subcommands = {
      RunCommand.class,
      StatusCommand.class,
      ReportCommand.class,
      AbandonCommand.class,
      ValidateCommand.class,
      MetadataCommand.class,
      TemplateCommand.class,
      QuickstartCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:a load failed",
      "2:bad usage, config or metadata",
      "3:a database or the Flink cluster is unreachable",
      "4:validation mismatch (target untouched)",
      "5:the load is held by another run, or its last run is unfinished",
      "6:the target refused a value, in a load without maxRejects (no retry helps)"
    })
public final class Metaload implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  @Option(
      names = "--log-format",
      paramLabel = "<text|json>",
      scope = CommandLine.ScopeType.INHERIT,
      defaultValue = "text",
      description =
          "Log lines on standard error as text (default) or as one JSON object per line, for log shippers.")
  void logFormat(String format) {
    if (!format.equals("text") && !format.equals("json")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--log-format must be text or json, not '" + format + "'");
    }
  }

  @Option(
      names = "--runner-log",
      paramLabel = "<error|warn|info|debug>",
      scope = CommandLine.ScopeType.INHERIT,
      defaultValue = "error",
      description =
          "The level of the runner's own log (Flink's, Beam's runners'): error (default) keeps their start-up notices out of "
              + "the terminal; warn, info or debug bring them back.")
  void runnerLog(String level) {
    if (!RUNNER_LOG_LEVELS.contains(level)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--runner-log must be one of " + RUNNER_LOG_LEVELS + ", not '" + level + "'");
    }
  }

  private static final List<String> RUNNER_LOG_LEVELS = List.of("error", "warn", "info", "debug");

  public static void main(String[] args) {
    Thread.setDefaultUncaughtExceptionHandler(
        (t, e) -> System.err.println("uncaught exception in thread " + t.getName() + ": " + e));
    System.setProperty(LogSetup.FORMAT_PROPERTY, optionValue(args, "--log-format", "text"));
    System.setProperty(LogSetup.RUNNER_LOG_PROPERTY, optionValue(args, "--runner-log", "error"));
    if (args.length > 0 && (args[0].equals("run") || args[0].equals("quickstart"))) {
      BeamArgs.warmUp();
    }
    System.exit(execute(args, System.out, System.err));
  }

  /**
   * The value of {@code option} among the arguments, read before anything logs; {@code absent} when
   * not given.
   */
  static String optionValue(String[] args, String option, String absent) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(option) && i + 1 < args.length) {
        return args[i + 1];
      }
      if (args[i].startsWith(option + "=")) {
        return args[i].substring(option.length() + 1);
      }
    }
    return absent;
  }

  /** Runs a command line and returns its exit code; output goes to the given streams. */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    PrintWriter errWriter = new PrintWriter(err, true);
    CommandLine cli =
        new CommandLine(new Metaload())
            .setOut(new PrintWriter(out, true))
            .setErr(errWriter)
            .setExecutionExceptionHandler((e, cmd, parsed) -> fail(errWriter, asMetaload(e)))
            .setParameterExceptionHandler(
                (e, args2) -> {
                  errWriter.println(e.getMessage());
                  e.getCommandLine().usage(errWriter);
                  return fail(errWriter, MetaloadException.badConfig(e.getMessage()));
                });
    return cli.execute(args);
  }

  private static MetaloadException asMetaload(Exception e) {
    if (e instanceof MetaloadException) {
      return (MetaloadException) e;
    }
    return new MetaloadException(
        ExitCode.LOAD_FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
  }

  private static int fail(PrintWriter err, MetaloadException e) {
    err.println("metaload: " + e.getMessage());
    err.println(ErrorReport.json(e));
    err.flush();
    return e.exitCode().code();
  }
}

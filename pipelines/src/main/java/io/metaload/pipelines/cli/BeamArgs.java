package io.metaload.pipelines.cli;

import io.metaload.metadata.error.MetaloadException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Beam pipeline options from the command line, with metaload's defaults: the Flink runner on an
 * embedded local cluster, with object reuse (metaload never mutates an element).
 */
final class BeamArgs {
  private BeamArgs() {}

  /**
   * Initialises Beam's options factory on a daemon thread, for a command that will build pipeline
   * options once its own arguments are parsed: the factory's class initialisation inspects every
   * registered options interface, and the later call then finds it done.
   */
  static void warmUp() {
    Thread t =
        new Thread(
            () -> {
              try {
                Class.forName(
                    PipelineOptionsFactory.class.getName(), true, BeamArgs.class.getClassLoader());
              } catch (ClassNotFoundException | LinkageError e) {
                // The real call reports whatever is wrong.
              }
            },
            "metaload-beam-warm-up");
    t.setDaemon(true);
    t.start();
  }

  static PipelineOptions parse(List<String> args) {
    return create(withDefaults(args));
  }

  /**
   * Checks the arguments' form now and builds the options on a background thread: Beam's first
   * options factory call inspects every registered options interface (about a second), which then
   * overlaps with opening the metadata store and planning. The supplier waits for the result and
   * throws what {@link #parse} would have thrown.
   */
  static Supplier<PipelineOptions> parseInBackground(List<String> args) {
    List<String> all = withDefaults(args);
    CompletableFuture<PipelineOptions> future = CompletableFuture.supplyAsync(() -> create(all));
    return () -> {
      try {
        return future.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException) {
          throw (RuntimeException) e.getCause();
        }
        throw e;
      }
    };
  }

  private static List<String> withDefaults(List<String> args) {
    List<String> all = new ArrayList<>(args == null ? List.of() : args);
    for (String a : all) {
      if (!a.startsWith("--")) {
        throw MetaloadException.badConfig(
            "unexpected argument '" + a + "' (Beam options look like --name=value)");
      }
    }
    if (!has(all, "runner")) {
      all.add("--runner=FlinkRunner");
    }
    if (value(all, "runner").toLowerCase(Locale.ROOT).contains("flink")) {
      if (!has(all, "flinkMaster")) {
        all.add("--flinkMaster=[local]");
      }
      if (!has(all, "objectReuse")) {
        all.add("--objectReuse=true");
      }
    }
    return all;
  }

  private static PipelineOptions create(List<String> all) {
    try {
      return PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).withValidation().create();
    } catch (IllegalArgumentException e) {
      throw MetaloadException.badConfig("bad pipeline option: " + e.getMessage(), e);
    }
  }

  /**
   * True when {@code args} leave the runner to metaload (no {@code --runner}, no {@code
   * --flinkMaster}): the embedded default.
   */
  static boolean embeddedDefault(List<String> args) {
    List<String> all = args == null ? List.of() : args;
    return !has(all, "runner") && !has(all, "flinkMaster");
  }

  private static boolean has(List<String> args, String name) {
    return args.stream().anyMatch(a -> a.equals("--" + name) || a.startsWith("--" + name + "="));
  }

  private static String value(List<String> args, String name) {
    return args.stream()
        .filter(a -> a.startsWith("--" + name + "="))
        .map(a -> a.substring(name.length() + 3))
        .findFirst()
        .orElse("");
  }
}

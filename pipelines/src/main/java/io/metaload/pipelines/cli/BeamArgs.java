package io.metaload.pipelines.cli;

import io.metaload.metadata.error.MetaloadException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Beam pipeline options from the command line, with metaload's defaults: the Flink runner on
 * an embedded local cluster, with object reuse (metaload never mutates an element).
 */
final class BeamArgs {
  private BeamArgs() {}

  static PipelineOptions parse(List<String> args) {
    List<String> all = new ArrayList<>(args == null ? List.of() : args);
    for (String a : all) {
      if (!a.startsWith("--")) {
        throw MetaloadException.badConfig("unexpected argument '" + a + "' (Beam options look like --name=value)");
      }
    }
    if (!has(all, "runner")) {
      all.add("--runner=FlinkRunner");
    }
    if (value(all, "runner").toLowerCase(java.util.Locale.ROOT).contains("flink")) {
      if (!has(all, "flinkMaster")) {
        all.add("--flinkMaster=[local]");
      }
      if (!has(all, "objectReuse")) {
        all.add("--objectReuse=true");
      }
    }
    try {
      return PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).withValidation().create();
    } catch (IllegalArgumentException e) {
      throw MetaloadException.badConfig("bad pipeline option: " + e.getMessage(), e);
    }
  }

  /** True when {@code args} leave the runner to metaload (no {@code --runner}, no {@code --flinkMaster}): the embedded default. */
  static boolean embeddedDefault(List<String> args) {
    List<String> all = args == null ? List.of() : args;
    return !has(all, "runner") && !has(all, "flinkMaster");
  }

  private static boolean has(List<String> args, String name) {
    return args.stream().anyMatch(a -> a.equals("--" + name) || a.startsWith("--" + name + "="));
  }

  private static String value(List<String> args, String name) {
    return args.stream().filter(a -> a.startsWith("--" + name + "=")).map(a -> a.substring(name.length() + 3)).findFirst().orElse("");
  }
}

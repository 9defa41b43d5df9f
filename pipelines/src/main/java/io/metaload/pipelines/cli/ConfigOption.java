package io.metaload.pipelines.cli;

import io.metaload.metadata.config.ConfigLoader;
import io.metaload.metadata.config.MetaloadConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option shared by every command that reads a config file. */
final class ConfigOption {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "<file>",
      description = "Config file (YAML) naming the metadata store and connections.")
  Path file;

  MetaloadConfig load() {
    return ConfigLoader.fromSystemEnvironment().load(file);
  }
}

package io.metaload.pipelines.cli;

import io.metaload.metadata.contract.ContractDefinition;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.flowgraph.FlowgraphDefinition;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.store.DefinitionRepository;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.yaml.ContractsYaml;
import io.metaload.metadata.yaml.FlowgraphsYaml;
import io.metaload.metadata.yaml.LoadDefinitionsYaml;
import io.metaload.transforms.flowgraph.Flowgraphs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code metaload metadata import|export}: load definitions as YAML files. */
@Command(
    name = "metadata",
    mixinStandardHelpOptions = true,
    description = "Imports or exports load definitions and flowgraphs as YAML.",
    subcommands = {MetadataCommand.Import.class, MetadataCommand.Export.class})
final class MetadataCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "choose 'import' or 'export'");
  }

  /** Upserts definitions from a file; the whole file is refused if any definition is invalid. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description =
          "Upserts flowgraphs and load definitions from a YAML file; importing the same file twice changes nothing.")
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ConfigOption config;

    @Parameters(
        paramLabel = "<loads.yaml>",
        description = "File with a top-level 'loads:' and/or 'flowgraphs:' list.")
    Path file;

    @Override
    public Integer call() {
      List<FlowgraphDefinition> flowgraphs = FlowgraphsYaml.read(file);
      List<ContractDefinition> contracts = ContractsYaml.read(file);
      List<LoadDefinition> definitions = LoadDefinitionsYaml.read(file);
      flowgraphs.forEach(Flowgraphs::check);
      try (MetadataStore store = MetadataStore.open(config.load().metadata())) {
        Set<String> known = new HashSet<>();
        flowgraphs.forEach(f -> known.add(f.name()));
        for (LoadDefinition d : definitions) {
          if (!known.contains(d.flowgraph())) {
            try {
              store.flowgraphs().get(d.flowgraph());
            } catch (MetaloadException e) {
              throw MetaloadException.badConfig(
                      file + ": load '" + d.name() + "': field 'flowgraph': " + e.getMessage())
                  .withLoad(d.name());
            }
          }
        }
        Set<String> loadNames = new HashSet<>();
        definitions.forEach(d -> loadNames.add(d.name()));
        for (ContractDefinition contract : contracts) {
          if (!loadNames.contains(contract.load())) {
            store.definitions().get(contract.load());
          }
        }
        int added = store.flowgraphs().upsertAll(flowgraphs);
        DefinitionRepository.UpsertResult r = store.definitions().upsertAll(definitions);
        int contractVersions = store.contracts().upsertAll(contracts);
        if (!flowgraphs.isEmpty()) {
          spec.commandLine()
              .getOut()
              .printf(
                  "imported %s: %d flowgraph(s), %d new version(s)%n",
                  file, flowgraphs.size(), added);
        }
        if (!contracts.isEmpty()) {
          spec.commandLine()
              .getOut()
              .printf(
                  "imported %s: %d contract(s), %d new version(s)%n",
                  file, contracts.size(), contractVersions);
        }
        spec.commandLine()
            .getOut()
            .printf(
                "imported %s: %d inserted, %d updated, %d unchanged%n",
                file, r.inserted, r.updated, r.unchanged);
      }
      return 0;
    }
  }

  /** Writes every definition as YAML, to a file or standard output. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = "Writes all load definitions as YAML.")
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ConfigOption config;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "<file>",
        description = "Write here instead of standard output.")
    Path output;

    @Override
    public Integer call() {
      try (MetadataStore store = MetadataStore.open(config.load().metadata())) {
        List<LoadDefinition> all = store.definitions().findAll();
        List<FlowgraphDefinition> flowgraphs = store.flowgraphs().findAllLatest();
        List<ContractDefinition> contracts = store.contracts().findAllLatest();
        if (output == null) {
          PrintWriter out = spec.commandLine().getOut();
          LoadDefinitionsYaml.write(all, flowgraphs, contracts, out);
          out.flush();
        } else {
          LoadDefinitionsYaml.write(all, flowgraphs, contracts, output);
        }
      } catch (IOException e) {
        throw new MetaloadException(
            ExitCode.BAD_USAGE, "cannot write " + output + ": " + e.getMessage(), e);
      }
      return 0;
    }
  }
}

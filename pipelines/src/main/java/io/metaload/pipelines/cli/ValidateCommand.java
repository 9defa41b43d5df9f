package io.metaload.pipelines.cli;

import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.RunParameters;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.RunPlanner;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.pipelines.LoadRunner;
import io.metaload.transforms.flowgraph.Flowgraphs;
import io.metaload.transforms.target.TargetKinds;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code metaload validate}: checks the config, the metadata store, every load definition and the
 * source and target connections, tables and columns. Reads catalogs only; moves no data.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Checks config, metadata and connectivity for every load (or the named ones); moves no data.")
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(
      names = {"-l", "--load"},
      paramLabel = "<name>",
      description = "Check only this load; repeat for several.")
  List<String> loads;

  @Option(
      names = "--param",
      paramLabel = "<name=value>",
      description =
          "A value for $${param.<name>} in the definitions, "
              + "checked as a run would; repeat for several.")
  List<String> params;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    MetaloadConfig cfg = config.load();
    out.println("config " + cfg.file() + ": OK (" + cfg.connections().size() + " connection(s))");
    MetaloadException first = null;
    try (MetadataStore store = MetadataStore.open(cfg.metadata())) {
      out.println("metadata store " + cfg.metadata().describe() + ": OK");
      List<LoadDefinition> definitions = new ArrayList<>();
      if (loads == null) {
        definitions.addAll(store.definitions().findAll());
      } else {
        for (String name : loads) {
          definitions.add(store.definitions().get(name));
        }
      }
      RunPlanner planner =
          new RunPlanner(
              cfg,
              false,
              Flowgraphs.typing(store.flowgraphs()::get),
              spec -> TargetKinds.target(spec).catalog());
      RunParameters parameters = RunParameters.parse(params);
      Set<String> used = new HashSet<>();
      for (LoadDefinition d : definitions) {
        try {
          LoadPlan plan = LoadRunner.withContract(store, planner.plan(parameters.apply(d, used)));
          out.printf(
              "load %s: OK (%s -> %s, %d columns, split key %s, %d partition(s), target %s)%n",
              d.name(),
              plan.source(),
              plan.target(),
              plan.sourceSchema().columns().size(),
              String.join(", ", d.splitKeyColumns()),
              plan.partitions().size(),
              plan.targetExists() ? "exists and matches" : "will be created");
          int budget = cfg.connection(d.sourceConnection()).maxConnections();
          out.printf(
              "load %s: reads with at most %s from source connection '%s', each read query stopped after %d s (queryTimeout)%n",
              d.name(),
              budget > 0
                  ? budget + " connection(s) (maxConnections)"
                  : "one connection per worker (no maxConnections)",
              d.sourceConnection(),
              cfg.connection(d.sourceConnection()).queryTimeoutSeconds());
          if (!plan.flowgraph().definition().isIdentity()) {
            out.printf(
                "load %s: flowgraph %s version %d: %d step(s), stages columns %s%n",
                d.name(),
                plan.flowgraph().definition().name(),
                plan.flowgraph().definition().version(),
                plan.flowgraph().definition().steps().size(),
                plan.flowgraph().output().columns().stream()
                    .map(c -> c.name())
                    .collect(Collectors.toList()));
          }
          if (plan.contract() != null) {
            out.printf(
                "load %s: contract version %d matches; %d check(s) run on staging before each publication%n",
                d.name(), plan.contract().version(), plan.contract().checks().size());
          }
          if (d.deltaMode().windowed()) {
            out.printf(
                "load %s: delta mode %s along %s, published by %s%n",
                d.name(), d.deltaMode().yamlName(), d.deltaColumn(), d.writeMode().yamlName());
          }
          plan.warnings().forEach(w -> out.printf("load %s: WARNING: %s%n", d.name(), w));
        } catch (MetaloadException e) {
          out.printf("load %s: FAILED: %s%n", d.name(), e.getMessage());
          if (first == null) {
            first = e.context().containsKey("load") ? e : e.withLoad(d.name());
          }
        }
      }
    }
    out.flush();
    if (first != null) {
      throw first;
    }
    return 0;
  }
}

package io.metaload.pipelines.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.Connections;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.RunParameters;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import io.metaload.metadata.store.MetadataStore;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code metaload template --load L}: the {@code --param} values a load takes, as JSON, from the
 * same declarations {@code run} substitutes: name, the column type the value must parse as, whether
 * it is required, its default, what it fills and an example, for orchestrators that build the
 * command line.
 */
@Command(
    name = "template",
    mixinStandardHelpOptions = true,
    description =
        "Prints the --param values a load takes as JSON (name, type, required, default, help, example).")
final class TemplateCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(
      names = {"-l", "--load"},
      required = true,
      paramLabel = "<name>",
      description = "The load.")
  String load;

  @Override
  public Integer call() throws Exception {
    MetaloadConfig cfg = config.load();
    LoadDefinition d;
    try (MetadataStore store = MetadataStore.open(cfg.metadata())) {
      d = store.definitions().get(load);
    }
    TableSchema schema = sourceSchema(cfg, d);
    ObjectNode doc = JSON.createObjectNode().put("load", d.name());
    ArrayNode params = doc.putArray("parameters");
    for (Map.Entry<String, String> p : RunParameters.declared(d).entrySet()) {
      if (p.getKey().equals(RunParameters.RESET_WATERMARK)) {
        params
            .addObject()
            .put("name", p.getKey())
            .put("type", "BOOLEAN")
            .put("required", false)
            .put("default", "false")
            .put(
                "help",
                "true: plan this run as the load's first (a full reload), ignoring the published watermark, after "
                    + "delta.column changed")
            .put("example", "true");
        continue;
      }
      boolean window = p.getKey().equals(RunParameters.FROM) || p.getKey().equals(RunParameters.TO);
      String column =
          window
              ? d.deltaColumn()
              : p.getValue().equals("partitioning.values") ? d.partitionColumn() : d.splitKey();
      String type =
          p.getValue().startsWith("partitioning.from") || p.getValue().startsWith("partitioning.to")
              ? "DATE"
              : schema.column(column).map(c -> c.type().name()).orElse("unknown");
      ObjectNode n = params.addObject();
      n.put("name", p.getKey()).put("type", type).put("required", !window);
      n.putNull("default");
      n.put(
          "help",
          window
              ? (p.getKey().equals(RunParameters.FROM)
                  ? "backfill: first " + column + " value of the window (inclusive)"
                  : "backfill: end of the window (exclusive; default: the fence)")
              : "fills ${param."
                  + p.getKey()
                  + "} in "
                  + p.getValue()
                  + " (column "
                  + column
                  + ")");
      n.put("example", example(type));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(JSON.writeValueAsString(doc));
    out.flush();
    return 0;
  }

  private static TableSchema sourceSchema(MetaloadConfig cfg, LoadDefinition d) {
    ConnectionSpec source = cfg.connection(d.sourceConnection());
    Dialect dialect = Dialect.forUrl(source.url());
    try (Connection c = Connections.open(source, "source")) {
      Optional<TableRef> table = dialect.catalog().resolve(c, TableRef.parse(d.sourceTable()));
      if (table.isEmpty()) {
        throw MetaloadException.badConfig(
                "source table " + d.sourceTable() + " of load '" + d.name() + "' does not exist")
            .withLoad(d.name());
      }
      return dialect.catalog().readSchema(c, table.get()).orElseThrow();
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading source table " + d.sourceTable(), e, ExitCode.LOAD_FAILED);
    }
  }

  private static String example(String type) {
    switch (type.toUpperCase(Locale.ROOT)) {
      case "DATE":
        return "2024-05-01";
      case "TIMESTAMP":
      case "TIMESTAMP_TZ":
        return "2024-05-01T06:00:00";
      case "BIGINT":
      case "INTEGER":
      case "SMALLINT":
        return "1000";
      case "DECIMAL":
        return "10.5";
      default:
        return "EMEA";
    }
  }
}

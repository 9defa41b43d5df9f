package io.metaload.metadata.plan;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.Connections;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.flowgraph.FlowgraphTyping;
import io.metaload.metadata.flowgraph.TypedFlowgraph;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.model.RunParameters;
import io.metaload.metadata.model.WriteMode;
import io.metaload.metadata.plan.split.HeapOrder;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/**
 * Plans a load without changing anything: checks the source table, split key and partition column
 * exist, counts each partition exactly and finds its split-key bounds, and checks that an existing
 * target matches the source's columns. Every problem is reported here, before any data moves.
 */
public final class RunPlanner {
  private final MetaloadConfig config;
  private final boolean countRows;
  private final FlowgraphTyping flowgraphs;
  private final Function<ConnectionSpec, TargetCatalog> targets;

  /** A planner that counts each partition's rows (what a run needs). */
  public RunPlanner(MetaloadConfig config) {
    this(config, true);
  }

  /**
   * @param countRows false to check definitions, tables and columns without scanning the source
   *     (for {@code metaload validate}); partitions then report zero rows
   */
  public RunPlanner(MetaloadConfig config, boolean countRows) {
    this(config, countRows, FlowgraphTyping.IDENTITY_ONLY);
  }

  /**
   * @param flowgraphs types each load's flowgraph against its source, giving the columns the target
   *     gets
   */
  public RunPlanner(MetaloadConfig config, boolean countRows, FlowgraphTyping flowgraphs) {
    this(config, countRows, flowgraphs, JdbcTargetCatalog::new);
  }

  /**
   * @param targets the catalog of each load's target connection (by the connection's kind; the
   *     other constructors know only relational databases)
   */
  public RunPlanner(
      MetaloadConfig config,
      boolean countRows,
      FlowgraphTyping flowgraphs,
      Function<ConnectionSpec, TargetCatalog> targets) {
    this.config = config;
    this.countRows = countRows;
    this.flowgraphs = flowgraphs;
    this.targets = targets;
  }

  public LoadPlan plan(LoadDefinition d) {
    return plan(d, null);
  }

  /**
   * Plans {@code d}; with a {@code snapshot}, the source is read on the snapshot's transaction, so
   * the counts are those of the moment every reader will see.
   */
  public LoadPlan plan(LoadDefinition d, @Nullable SourceSnapshot snapshot) {
    return plan(d, snapshot, null, RunParameters.none());
  }

  /**
   * Plans {@code d}. A windowed delta load reads {@code [low, fence)} of its delta column, where
   * {@code fence} was taken before {@code snapshot} was exported ({@link WatermarkFence}; taken
   * here when null) and {@code low} comes from the target's published watermark minus the lookback,
   * or from the {@code from} and {@code to} parameters of a backfill.
   */
  public LoadPlan plan(
      LoadDefinition d,
      @Nullable SourceSnapshot snapshot,
      @Nullable WatermarkFence fence,
      RunParameters params) {
    try {
      return doPlan(d, snapshot, fence, params);
    } catch (MetaloadException e) {
      if (!e.context().containsKey("load")) {
        e.withLoad(d.name());
      }
      throw e;
    }
  }

  private LoadPlan doPlan(
      LoadDefinition d,
      @Nullable SourceSnapshot snapshot,
      @Nullable WatermarkFence fence,
      RunParameters params) {
    ConnectionSpec sourceSpec = config.connection(d.sourceConnection());
    ConnectionSpec targetSpec = config.connection(d.targetConnection());
    TableRef named = TableRef.parse(d.sourceTable());
    TableRef namedTarget = TableRef.parse(d.targetTable());
    Dialect sourceDialect = Dialect.forUrl(sourceSpec.url());
    TargetCatalog target = targets.apply(targetSpec);

    LoadPlan.Builder plan = LoadPlan.builder().definition(d);
    List<String> warnings = new ArrayList<>();
    String previous =
        d.deltaMode().windowed() && countRows
            ? DeltaPlanning.previousWatermark(d, target, namedTarget, params)
            : null;
    TableSchema sourceSchema;
    TableRef source;
    TypedFlowgraph typed;
    Connection own = snapshot == null ? Connections.open(sourceSpec, "source") : null;
    try (Connection closed = own) {
      Connection c = snapshot == null ? own : snapshot.connection();
      source =
          sourceDialect
              .catalog()
              .resolve(c, named)
              .orElseThrow(
                  () ->
                      MetaloadException.badConfig(
                          "source table "
                              + named
                              + " does not exist in connection "
                              + sourceSpec.describe()));
      sourceSchema = sourceDialect.catalog().readSchema(c, source).orElseThrow();
      plan.source(source);
      List<Column> splitColumns = new ArrayList<>();
      for (String name : d.splitKeyColumns()) {
        splitColumns.add(
            sourceSchema
                .column(name)
                .orElseThrow(
                    () ->
                        MetaloadException.badConfig(
                            "split key column '"
                                + name
                                + "' does not exist in source table "
                                + source
                                + " (columns: "
                                + names(sourceSchema)
                                + ")")));
      }
      Column splitKey = splitColumns.get(0);
      SplitKeyType keyType = SplitKeyType.of(source, splitKey);
      for (Column column : splitColumns) {
        SplitKeyType.of(source, column);
      }
      if (splitColumns.size() > 1 || needsTieBreaker(d, sourceSchema, splitKey)) {
        keyType = SplitKeyType.ORDINAL;
      }
      Column partitionColumn = null;
      if (d.partitionColumn() != null) {
        partitionColumn =
            sourceSchema
                .column(d.partitionColumn())
                .orElseThrow(
                    () ->
                        MetaloadException.badConfig(
                            "partition column '"
                                + d.partitionColumn()
                                + "' does not exist in source table "
                                + source
                                + " (columns: "
                                + names(sourceSchema)
                                + ")"));
      }
      plan.sourceSchema(sourceSchema).partitionColumn(partitionColumn);
      List<TableRef> relations =
          d.partitionStrategy() == PartitionStrategy.SOURCE
              ? sourceDialect.catalog().sourcePartitions(c, source)
              : List.of(source);
      typed = flowgraphs.type(d, sourceSchema);
      plan.flowgraph(typed);
      if (d.deltaMode().windowed()
          && d.deltaColumn() != null
          && sourceSchema.column(d.deltaColumn()).isPresent()
          && typed.carrying(d.deltaColumn()).isEmpty()) {
        throw MetaloadException.badConfig(
            "load '"
                + d.name()
                + "': field 'flowgraph': flowgraph '"
                + typed.definition().name()
                + "' does not carry the delta column "
                + d.deltaColumn()
                + " to the target, which publishing a window needs (keep it, "
                + "renamed or cast if you like)");
      }
      DeltaWindow window = null;
      if (d.deltaMode().windowed()) {
        Column column =
            sourceSchema
                .column(d.deltaColumn())
                .orElseThrow(
                    () ->
                        MetaloadException.badConfig(
                            "load '"
                                + d.name()
                                + "': field 'delta.column': column '"
                                + d.deltaColumn()
                                + "' does not exist in source table "
                                + source
                                + " (columns: "
                                + names(sourceSchema)
                                + ")"));
        SplitKeyType type = DeltaPlanning.deltaType(d, source, column);
        if (countRows) {
          DeltaPlanning.refuseNullWatermarks(c, sourceDialect, d, source, column, type, previous);
        }
        warnings.addAll(FenceVisibility.check(c, sourceDialect, d, source, column, type));
        if (!sourceDialect.catalog().hasIndexLeadingWith(c, source, column.name())) {
          warnings.add(
              "delta column "
                  + source
                  + "."
                  + column.name()
                  + " is not the first column of any index: every run scans the whole "
                  + "table to find its window (CREATE INDEX ON "
                  + source
                  + " ("
                  + column.name()
                  + ") makes a run cost its window's rows)");
        }
        if (countRows) {
          WatermarkFence f =
              fence != null
                  ? fence
                  : DeltaPlanning.takeFence(sourceSpec, sourceDialect, source, column, type, d);
          window = DeltaWindows.of(d, column, type, previous, f, params);
          plan.window(window);
        }
        if (window != null && window.reads()) {
          PartitionCounter counter =
              new PartitionCounter(
                  c,
                  sourceDialect,
                  source,
                  relations,
                  column,
                  type,
                  partitionColumn,
                  countRows,
                  d.batchSize(),
                  sourceSchema.isSingleColumnKey(column.name()),
                  warnings);
          plan.splitKey(column)
              .splitKeyType(type)
              .uniqueSplitKey(sourceSchema.isSingleColumnKey(column.name()))
              .partitions(counter.windowPartitions(d, window));
        }
      }
      if (window == null || !window.reads()) {
        PartitionCounter counter =
            new PartitionCounter(
                c,
                sourceDialect,
                source,
                relations,
                splitKey,
                keyType,
                partitionColumn,
                countRows,
                d.batchSize(),
                sourceSchema.isSingleColumnKey(splitKey.name()),
                warnings);
        if (keyType == SplitKeyType.ORDINAL
            && countRows
            && HeapOrder.whyNot(c, sourceDialect, relations, d, snapshot != null).isEmpty()) {
          counter.inHeapOrder();
          plan.orderKey(List.of(HeapOrder.COLUMN))
              .heapOrder(HeapOrder.take(c, sourceDialect, relations));
        } else if (keyType == SplitKeyType.ORDINAL) {
          List<Column> orderKey = orderKey(sourceSchema, splitColumns);
          counter.orderedBy(orderKey);
          plan.orderKey(orderKey.stream().map(Column::name).collect(Collectors.toList()));
        }
        plan.splitKey(splitKey)
            .splitKeyType(keyType)
            .uniqueSplitKey(sourceSchema.primaryKeyIs(d.splitKeyColumns()))
            .partitions(counter.partitions(d));
      }
      PausePoints.reach("planning");
    } catch (SQLException e) {
      throw SqlErrors.wrap(
          "planning against source " + sourceSpec.describe(), e, ExitCode.LOAD_FAILED);
    }

    Optional<TargetCatalog.Existing> existing = target.find(namedTarget);
    plan.targetExists(existing.isPresent());
    if (existing.isPresent()) {
      boolean swaps =
          !d.deltaMode().windowed()
              || (countRows
                  && previous == null
                  && !params.values().containsKey(RunParameters.FROM));
      if (swaps) {
        Optional<String> refusal = target.swapRefusal(existing.get().table());
        if (refusal.isPresent()) {
          throw MetaloadException.badConfig("load '" + d.name() + "': " + refusal.get());
        }
      }
      plan.target(existing.get().table());
      plan.targetSchema(
          TargetAlignment.alignedTarget(
              typed.definition().isIdentity()
                  ? "source table " + source
                  : "the output of flowgraph '" + typed.definition().name() + "'",
              typed.output(),
              existing.get().table(),
              existing.get().schema()));
    } else {
      plan.target(target.newTable(namedTarget));
      plan.targetSchema(TargetAlignment.newTargetSchema(typed.output(), target));
    }
    LoadPlan built = plan.warnings(warnings).build();
    if (d.writeMode() != WriteMode.SWAP && built.targetSchema().primaryKey().isEmpty()) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': field 'target.writeMode': '"
              + d.writeMode().yamlName()
              + "' upserts by the target's primary key, but "
              + (built.targetExists()
                  ? "target table " + built.target() + " has none (add one)"
                  : "source table "
                      + built.source()
                      + " has none to create target "
                      + built.target()
                      + " with (create the target with a primary key)"));
    }
    return built;
  }

  /**
   * The columns an ordinal split key's rows are ordered and cut by: the split key's columns, then
   * the primary key's columns they lack, so that ties on a non-unique key are broken and no
   * sub-range has to hold all rows of one value.
   */
  private static List<Column> orderKey(TableSchema schema, List<Column> splitColumns) {
    List<Column> out = new ArrayList<>(splitColumns);
    for (String name : schema.primaryKey()) {
      if (out.stream().noneMatch(c -> c.name().equalsIgnoreCase(name))) {
        out.add(schema.column(name).orElseThrow());
      }
    }
    return out;
  }

  /**
   * A non-unique integer, date or timestamp split key of a table with a primary key, loaded whole
   * or by list or source partitions, is planned as an ordinal key ordered by {@code (key, primary
   * key)}, so a value held by many rows is cut into batches like any other. Windows and the range
   * and calendar strategies need key arithmetic and keep the key's positions (a value's rows then
   * stay in one batch).
   */
  private static boolean needsTieBreaker(LoadDefinition d, TableSchema schema, Column splitKey) {
    boolean wholeOrList =
        d.partitionStrategy() == PartitionStrategy.NONE
            || d.partitionStrategy() == PartitionStrategy.LIST
            || d.partitionStrategy() == PartitionStrategy.SOURCE;
    return wholeOrList
        && !schema.primaryKey().isEmpty()
        && !schema.isSingleColumnKey(splitKey.name());
  }

  /**
   * Takes the fence of a windowed load before its snapshot is exported: resolves the source table
   * and the delta column on a connection of its own. Null for a full load.
   */
  @Nullable
  public WatermarkFence fenceFor(LoadDefinition d) {
    if (!d.deltaMode().windowed()) {
      return null;
    }
    ConnectionSpec sourceSpec = config.connection(d.sourceConnection());
    Dialect dialect = Dialect.forUrl(sourceSpec.url());
    TableRef named = TableRef.parse(d.sourceTable());
    try (Connection c = Connections.open(sourceSpec, "source")) {
      Optional<TableRef> source = dialect.catalog().resolve(c, named);
      if (source.isEmpty()) {
        return null;
      }
      Optional<Column> column =
          dialect.catalog().readSchema(c, source.get()).orElseThrow().column(d.deltaColumn());
      if (column.isEmpty()) {
        return null;
      }
      SplitKeyType type = DeltaPlanning.deltaType(d, source.get(), column.get());
      return WatermarkFence.take(c, dialect, source.get(), column.get(), type, d);
    } catch (SQLException e) {
      throw SqlErrors.wrap(
          "taking the delta fence of load '" + d.name() + "' on " + sourceSpec.describe(),
          e,
          ExitCode.LOAD_FAILED);
    } catch (MetaloadException e) {
      throw e.context().containsKey("load") ? e : e.withLoad(d.name());
    }
  }

  private static String names(TableSchema schema) {
    List<String> out = new ArrayList<>();
    schema.columns().forEach(c -> out.add(c.name().toLowerCase(Locale.ROOT)));
    return String.join(", ", out);
  }
}

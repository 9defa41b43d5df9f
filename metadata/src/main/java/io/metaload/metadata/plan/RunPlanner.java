package io.metaload.metadata.plan;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.flowgraph.FlowgraphTyping;
import io.metaload.metadata.flowgraph.TypedFlowgraph;
import io.metaload.metadata.model.DeltaMode;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.model.RunParameters;
import io.metaload.metadata.model.WriteMode;
import io.metaload.metadata.plan.split.BoundaryPlanner;
import io.metaload.metadata.plan.split.HeapOrder;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/**
 * Plans a load without changing anything: checks the source table, split key and partition column
 * exist, counts each partition exactly and finds its split-key bounds, and checks that an existing
 * target matches the source's columns. Every problem is reported here, before any data moves.
 */
public final class RunPlanner {
  /** Calendar strategies make at most this many partitions (about 27 years of days). */
  static final int MAX_CALENDAR_PARTITIONS = 10_000;

  /** At most this many row-balanced slices per partition, which read units are cut from. */
  static final int MAX_SLICES = 256;

  /**
   * Whole PostgreSQL tables of at least this many rows get their quantiles from a sample of pages.
   */
  static final long SAMPLE_QUANTILES_ABOVE = 2_000_000;

  /** Overrides {@link #SAMPLE_QUANTILES_ABOVE}: {@code -Dmetaload.sampleQuantilesAbove=N}. */
  static final String SAMPLE_QUANTILES_SWITCH = "metaload.sampleQuantilesAbove";

  /** About how many rows a sampled quantile pass reads. */
  static final long SAMPLE_ROWS = 100_000;

  /**
   * A delta window with fewer rows is cut evenly: it is read in one process anyway, and a quantile
   * pass would read the window a third time.
   */
  static final long SMALL_WINDOW_ROWS = 1_000_000;

  private final MetaloadConfig config;
  private final boolean countRows;
  private final FlowgraphTyping flowgraphs;

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
    this.config = config;
    this.countRows = countRows;
    this.flowgraphs = flowgraphs;
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
    Dialect targetDialect = Dialect.forUrl(targetSpec.url());

    LoadPlan.Builder plan = LoadPlan.builder().definition(d);
    List<String> warnings = new ArrayList<>();
    String previous =
        d.deltaMode().windowed() && countRows
            ? previousWatermark(d, targetSpec, targetDialect, namedTarget, params)
            : null;
    TableSchema sourceSchema;
    TableRef source;
    TypedFlowgraph typed;
    Connection own = snapshot == null ? open(sourceSpec, "source") : null;
    try (Connection closed = own) {
      Connection c = snapshot == null ? own : snapshot.connection();
      source =
          sourceDialect
              .resolve(c, named)
              .orElseThrow(
                  () ->
                      MetaloadException.badConfig(
                          "source table "
                              + named
                              + " does not exist in connection "
                              + sourceSpec.describe()));
      sourceSchema = sourceDialect.readSchema(c, source).orElseThrow();
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
              ? sourceDialect.sourcePartitions(c, source)
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
        SplitKeyType type = deltaType(d, source, column);
        if (countRows) {
          refuseNullWatermarks(c, sourceDialect, d, source, column, type, previous);
        }
        warnings.addAll(FenceVisibility.check(c, sourceDialect, d, source, column, type));
        if (!sourceDialect.hasIndexLeadingWith(c, source, column.name())) {
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
              fence != null ? fence : takeFence(sourceSpec, sourceDialect, source, column, type, d);
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

    try (Connection c = open(targetSpec, "target")) {
      Optional<TableRef> existing = targetDialect.resolve(c, namedTarget);
      plan.targetExists(existing.isPresent());
      if (existing.isPresent()) {
        boolean swaps =
            !d.deltaMode().windowed()
                || (countRows
                    && previous == null
                    && !params.values().containsKey(RunParameters.FROM));
        if (swaps) {
          Optional<String> refusal = targetDialect.swapRefusal(c, existing.get());
          if (refusal.isPresent()) {
            throw MetaloadException.badConfig("load '" + d.name() + "': " + refusal.get());
          }
        }
        plan.target(existing.get());
        plan.targetSchema(
            alignedTarget(
                typed.definition().isIdentity()
                    ? "source table " + source
                    : "the output of flowgraph '" + typed.definition().name() + "'",
                typed.output(),
                existing.get(),
                targetDialect.readSchema(c, existing.get()).orElseThrow()));
      } else {
        plan.target(targetDialect.newTable(namedTarget));
        plan.targetSchema(newTargetSchema(typed.output(), targetDialect));
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap(
          "reading target table " + namedTarget + " in " + targetSpec.describe(),
          e,
          ExitCode.LOAD_FAILED);
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
   * The watermark the load's last publication recorded in the target, or null (first run, or a run
   * told to reset it). A watermark of another delta column than the load's is refused: it is no
   * position in this one.
   */
  @Nullable
  private static String previousWatermark(
      LoadDefinition d,
      ConnectionSpec targetSpec,
      Dialect dialect,
      TableRef namedTarget,
      RunParameters params) {
    Optional<PublishedWatermark.Latest> latest;
    try (Connection c = open(targetSpec, "target")) {
      Optional<TableRef> target = dialect.resolve(c, namedTarget);
      latest =
          target.isEmpty()
              ? Optional.empty()
              : PublishedWatermark.latestPublication(c, dialect, target.get(), d.name());
    } catch (SQLException e) {
      throw SqlErrors.wrap(
          "reading the published watermark of load '" + d.name() + "' in " + targetSpec.describe(),
          e,
          ExitCode.LOAD_FAILED);
    }
    if (params.resetsWatermark()) {
      return null;
    }
    if (latest.isPresent()
        && latest.get().deltaColumn() != null
        && !latest.get().deltaColumn().equalsIgnoreCase(d.deltaColumn())) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': field 'delta.column' is "
              + d.deltaColumn()
              + ", but the target's "
              + "latest publication recorded watermark '"
              + latest.get().watermark()
              + "' of column "
              + latest.get().deltaColumn()
              + ", which is no position in "
              + d.deltaColumn()
              + ". Put delta.column back, or run once with --param "
              + RunParameters.RESET_WATERMARK
              + "=true: that run plans as a first run (it reloads the whole table and records a watermark "
              + "of "
              + d.deltaColumn()
              + ")");
    }
    return latest.map(PublishedWatermark.Latest::watermark).orElse(null);
  }

  /** Takes the fence on a connection of its own (autocommit, outside any snapshot). */
  public static WatermarkFence takeFence(
      ConnectionSpec sourceSpec,
      Dialect dialect,
      TableRef source,
      Column column,
      SplitKeyType type,
      LoadDefinition d) {
    try (Connection c = open(sourceSpec, "source")) {
      return WatermarkFence.take(c, dialect, source, column, type, d);
    } catch (SQLException e) {
      throw SqlErrors.wrap(
          "taking the delta fence of load '" + d.name() + "' on " + sourceSpec.describe(),
          e,
          ExitCode.LOAD_FAILED);
    }
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
    try (Connection c = open(sourceSpec, "source")) {
      Optional<TableRef> source = dialect.resolve(c, named);
      if (source.isEmpty()) {
        return null;
      }
      Optional<Column> column =
          dialect.readSchema(c, source.get()).orElseThrow().column(d.deltaColumn());
      if (column.isEmpty()) {
        return null;
      }
      SplitKeyType type = deltaType(d, source.get(), column.get());
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

  private static SplitKeyType deltaType(LoadDefinition d, TableRef source, Column column) {
    SplitKeyType type;
    try {
      type = SplitKeyType.of(source, column);
    } catch (MetaloadException e) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': field 'delta.column': "
              + source
              + "."
              + column.name()
              + " has type "
              + column.type()
              + "; a delta column must be an integer, date or timestamp column");
    }
    if (type == SplitKeyType.ORDINAL) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': field 'delta.column': "
              + source
              + "."
              + column.name()
              + " has type "
              + column.type()
              + "; a delta column must be an integer, date or timestamp column");
    }
    if (d.deltaMode() == DeltaMode.WINDOW_REPLACE && !type.temporal()) {
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': field 'delta.column': delta mode 'window-replace' needs a date or "
              + "timestamp column; "
              + column.name()
              + " is "
              + column.type());
    }
    return type;
  }

  /**
   * Rows whose delta column is NULL never fall into a window, so they are refused before anything
   * moves.
   */
  private static void refuseNullWatermarks(
      Connection c,
      Dialect dialect,
      LoadDefinition d,
      TableRef source,
      Column column,
      SplitKeyType type,
      @Nullable String previous)
      throws SQLException {
    if (!column.nullable()) {
      return;
    }
    long nulls = countNulls(c, dialect, source, column);
    if (nulls > 0) {
      String now =
          type.temporal()
              ? (type == SplitKeyType.DATE ? "CURRENT_DATE" : "CURRENT_TIMESTAMP")
              : "<a value above the column's largest>";
      throw MetaloadException.badConfig(
          "load '"
              + d.name()
              + "': field 'delta.column': "
              + source
              + "."
              + column.name()
              + " is NULL in "
              + nulls
              + " rows, which no window can select: give those rows a value the next window reads, at or above "
              + (previous == null
                  ? "the fence (the source's clock, or the column's largest value)"
                  : "the published watermark " + previous)
              + " (e.g. UPDATE "
              + source
              + " SET "
              + column.name()
              + " = "
              + now
              + " WHERE "
              + column.name()
              + " IS NULL; a value below it is "
              + "never read), or give them their true values and load those with a backfill (--param from=... --param to=...); then make the "
              + "column NOT NULL, or choose another delta column");
    }
  }

  private static long countNulls(Connection c, Dialect dialect, TableRef table, Column column)
      throws SQLException {
    String sql =
        "SELECT COUNT(*) FROM "
            + dialect.qualified(table)
            + " WHERE "
            + dialect.quote(column.name())
            + " IS NULL";
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Opens a connection for planning, validation or publication; failures to connect or log in map
   * to exit code 3. A source connection's queries are stopped past its {@code queryTimeout}, so
   * planning never waits without end.
   */
  public static Connection open(ConnectionSpec spec, String role) {
    return open(spec, role, null);
  }

  /**
   * As {@link #open(ConnectionSpec, String)}, with the session labelled {@code "metaload " + label}
   * where the database can show it.
   */
  public static Connection open(ConnectionSpec spec, String role, String label) {
    Connection c;
    try {
      c = spec.open(label);
    } catch (SQLException e) {
      throw SqlErrors.wrap(
          "cannot connect to " + role + " " + spec.describe(), e, ExitCode.DATABASE_UNREACHABLE);
    }
    if (role.equals("source")) {
      try {
        Dialect.forUrl(spec.url()).limitStatementTime(c, spec.queryTimeoutSeconds());
      } catch (SQLException e) {
        try {
          c.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw SqlErrors.wrap(
            "setting the query timeout of source " + spec.describe(), e, ExitCode.LOAD_FAILED);
      }
    }
    return c;
  }

  /** The source's columns and primary key, named the way the target database names new columns. */
  static TableSchema newTargetSchema(TableSchema source, Dialect target) {
    List<Column> columns = new ArrayList<>();
    for (Column c : source.columns()) {
      columns.add(
          Column.of(
              target.newName(c.name()),
              c.type(),
              c.size(),
              c.scale(),
              c.nullable(),
              c.fixedLength(),
              c.typeName()));
    }
    List<String> key = new ArrayList<>();
    source.primaryKey().forEach(k -> key.add(target.newName(k)));
    return TableSchema.of(columns, key);
  }

  /**
   * The target's columns in source order, or a bad-config error listing every difference. A target
   * column may differ in type only within the same family (e.g. integer into bigint).
   */
  static TableSchema alignedTarget(
      String source, TableSchema src, TableRef target, TableSchema tgt) {
    List<String> problems = new ArrayList<>();
    List<Column> aligned = new ArrayList<>();
    for (Column s : src.columns()) {
      Optional<Column> t = tgt.column(s.name());
      if (t.isEmpty()) {
        problems.add("column " + s.name() + " is missing in the target");
      } else if (!t.get().type().family().equals(s.type().family())) {
        problems.add(
            "column "
                + s.name()
                + " is "
                + s.type()
                + " in "
                + source
                + " but "
                + t.get().type()
                + " in the target");
      } else {
        aligned.add(t.get());
      }
    }
    for (Column t : tgt.columns()) {
      if (src.column(t.name()).isEmpty()) {
        problems.add("target column " + t.name() + " does not exist in " + source);
      }
    }
    if (!problems.isEmpty()) {
      throw MetaloadException.badConfig(
          "target table "
              + target
              + " does not match "
              + source
              + ": "
              + String.join("; ", problems));
    }
    return TableSchema.of(aligned, tgt.primaryKey());
  }

  private static String names(TableSchema schema) {
    List<String> out = new ArrayList<>();
    schema.columns().forEach(c -> out.add(c.name().toLowerCase(Locale.ROOT)));
    return String.join(", ", out);
  }

  /** Counts rows and finds split-key bounds per partition. */
  private static final class PartitionCounter {
    private final Connection connection;
    private final Dialect dialect;

    /**
     * The table counted: the source, or while {@link #sourcePartitions} runs, one partition of it.
     */
    private TableRef table;

    private final Column key;
    private final SplitKeyType keyType;
    private final Column partitionColumn;
    private final boolean countRows;
    private final int batchSize;
    private final boolean uniqueKey;
    private Boolean indexedKey;

    /** Partitions with fewer rows are cut evenly, without a quantile pass. */
    private long balanceBelow;

    /** An ordinal key's order key; null for integer, date and timestamp keys. */
    private List<Column> orderKey;

    /** Whether an ordinal key's sub-ranges are runs of heap pages. */
    private boolean heapOrder;

    /** The plan's warnings, which a coarser plan after a timeout adds to. */
    private final List<String> warnings;

    /**
     * The tables the rows are read from: the source, or with strategy {@code source} its
     * partitions.
     */
    private final List<TableRef> relations;

    PartitionCounter(
        Connection connection,
        Dialect dialect,
        TableRef table,
        List<TableRef> relations,
        Column key,
        SplitKeyType keyType,
        Column partitionColumn,
        boolean countRows,
        int batchSize,
        boolean uniqueKey,
        List<String> warnings) {
      this.warnings = warnings;
      this.relations = relations;
      this.countRows = countRows;
      this.batchSize = batchSize;
      this.uniqueKey = uniqueKey;
      this.connection = connection;
      this.dialect = dialect;
      this.table = table;
      this.key = key;
      this.keyType = keyType;
      this.partitionColumn = partitionColumn;
    }

    /**
     * Plans the key as ordinal: partitions are cut into sub-ranges between tuples of {@code
     * columns}.
     */
    void orderedBy(List<Column> columns) {
      this.orderKey = List.copyOf(columns);
    }

    /** Plans the key as ordinal in heap order: partitions are cut into sub-ranges of heap pages. */
    void inHeapOrder() {
      this.orderKey = List.of(HeapOrder.column());
      this.heapOrder = true;
    }

    /**
     * The partitions of a delta window: one, one per list value, or one per calendar period, each
     * within the window.
     */
    List<PartitionPlan> windowPartitions(LoadDefinition d, DeltaWindow window) throws SQLException {
      balanceBelow = SMALL_WINDOW_ROWS;
      List<PartitionPlan> out = new ArrayList<>();
      long low = window.low();
      if (window.empty()) {
        out.add(PartitionPlan.of(0, window.describe() + ": empty", null, low, low, 0));
        return out;
      }
      long high = window.high();
      switch (d.partitionStrategy()) {
        case LIST:
          for (int i = 0; i < d.partitionValues().size(); i++) {
            String value = d.partitionValues().get(i);
            parse(partitionColumn, value, "partitioning.values");
            out.add(
                count(
                    i,
                    partitionColumn.name() + " = '" + value + "' and " + window.describe(),
                    value,
                    low,
                    high));
          }
          break;
        case DAY:
        case MONTH:
          boolean monthly = d.partitionStrategy() == PartitionStrategy.MONTH;
          long perDay = keyType.positionsPerDay();
          LocalDate start = LocalDate.ofEpochDay(Math.floorDiv(low, perDay));
          if (monthly) {
            start = start.withDayOfMonth(1);
          }
          for (int i = 0; keyType.positionOf(start) < high; i++) {
            LocalDate end = monthly ? start.plusMonths(1) : start.plusDays(1);
            if (i >= MAX_CALENDAR_PARTITIONS) {
              throw MetaloadException.badConfig(
                  "load '"
                      + d.name()
                      + "': window "
                      + window.describe()
                      + " makes more than "
                      + MAX_CALENDAR_PARTITIONS
                      + " calendar partitions");
            }
            long from = Math.max(low, keyType.positionOf(start));
            long to = Math.min(high, keyType.positionOf(end));
            out.add(
                count(
                    i,
                    key.name() + " in [" + keyType.literal(from) + ", " + keyType.literal(to) + ")",
                    null,
                    from,
                    to));
            start = end;
          }
          break;
        case SOURCE:
          for (PartitionPlan p : sourcePartitions(low, high)) {
            PartitionPlan windowed =
                PartitionPlan.of(
                    p.partitionId(),
                    p.description() + " and " + window.describe(),
                    p.predicateValue(),
                    p.keyFrom(),
                    p.keyTo(),
                    p.sourceRows(),
                    p.quantiles());
            out.add(p.rowsEstimated() ? windowed.asEstimate() : windowed);
          }
          break;
        default:
          out.add(count(0, window.describe(), null, low, high));
      }
      return out;
    }

    List<PartitionPlan> partitions(LoadDefinition d) throws SQLException {
      refuseNullKeys();
      if (orderKey != null
          && d.partitionStrategy() != PartitionStrategy.NONE
          && d.partitionStrategy() != PartitionStrategy.LIST
          && d.partitionStrategy() != PartitionStrategy.SOURCE) {
        throw MetaloadException.badConfig(
            "load '"
                + d.name()
                + "': field 'partitioning.strategy': '"
                + d.partitionStrategy().name().toLowerCase(Locale.ROOT)
                + "' needs an integer, date or timestamp split key; "
                + key.name()
                + " is a "
                + key.type().name().toLowerCase(Locale.ROOT)
                + " key (use 'none', 'list' or 'source')");
      }
      List<PartitionPlan> out = new ArrayList<>();
      if (d.partitionStrategy().isCalendar() && d.partitionValues().isEmpty()) {
        out.add(count(0, "all rows", null, null, null));
        return out;
      }
      switch (d.partitionStrategy()) {
        case NONE:
          out.add(count(0, "all rows", null, null, null));
          break;
        case LIST:
          Map<Object, String> parsed = new HashMap<>();
          for (int i = 0; i < d.partitionValues().size(); i++) {
            String value = d.partitionValues().get(i);
            Object v = parse(partitionColumn, value, "partitioning.values");
            String earlier =
                parsed.put(
                    v instanceof BigDecimal ? ((BigDecimal) v).stripTrailingZeros() : v, value);
            if (earlier != null) {
              throw MetaloadException.badConfig(
                  "load '"
                      + d.name()
                      + "': field 'partitioning.values' lists '"
                      + earlier
                      + "' and '"
                      + value
                      + "', which are the same "
                      + partitionColumn.name()
                      + " value");
            }
            out.add(count(i, partitionColumn.name() + " = '" + value + "'", value, null, null));
          }
          refuseOverlappingValues(d, out);
          break;
        case RANGE:
          List<Long> bounds = new ArrayList<>();
          for (String b : d.partitionValues()) {
            long position = keyType.toPosition(parse(key, b, "partitioning.boundaries"));
            if (!bounds.isEmpty() && position <= bounds.get(bounds.size() - 1)) {
              throw MetaloadException.badConfig(
                  "load '"
                      + d.name()
                      + "': field 'partitioning.boundaries' must be strictly ascending, '"
                      + b
                      + "' is not");
            }
            bounds.add(position);
          }
          for (int i = 0; i <= bounds.size(); i++) {
            Long low = i == 0 ? null : bounds.get(i - 1);
            Long high = i == bounds.size() ? null : bounds.get(i);
            String desc =
                key.name()
                    + (low == null ? "" : " >= " + keyType.fromPosition(low))
                    + (low != null && high != null ? " and" : "")
                    + (high == null ? "" : " < " + keyType.fromPosition(high));
            out.add(count(i, desc, null, low, high));
          }
          break;
        case DAY:
        case MONTH:
          calendarPartitions(d, out);
          break;
        case SOURCE:
          out.addAll(sourcePartitions(null, null));
          break;
        default:
          throw new AssertionError(d.partitionStrategy());
      }
      return out;
    }

    /**
     * One partition per partition of the source table, each counted and cut on that partition
     * alone, within split-key positions {@code [low, high)} where given (a delta window).
     */
    private List<PartitionPlan> sourcePartitions(Long low, Long high) throws SQLException {
      List<PartitionPlan> out = new ArrayList<>();
      TableRef whole = table;
      try {
        for (int i = 0; i < relations.size(); i++) {
          table = relations.get(i);
          String text = dialect.sourcePartitionText(table);
          out.add(count(i, "partition " + text, text, low, high));
        }
      } finally {
        table = whole;
      }
      return out;
    }

    /**
     * One partition per day or month of a date or timestamp split key in {@code [from, to)}; rows
     * outside the bounds are not part of the load.
     */
    private void calendarPartitions(LoadDefinition d, List<PartitionPlan> out) throws SQLException {
      String strategy = d.partitionStrategy().name().toLowerCase(Locale.ROOT);
      if (!keyType.temporal()) {
        throw MetaloadException.badConfig(
            "load '"
                + d.name()
                + "': strategy '"
                + strategy
                + "' needs a date or timestamp split key; "
                + key.name()
                + " is "
                + keyType.name().toLowerCase(Locale.ROOT));
      }
      LocalDate from = calendarBound(d, 0, "partitioning.from");
      LocalDate to = calendarBound(d, 1, "partitioning.to");
      boolean monthly = d.partitionStrategy() == PartitionStrategy.MONTH;
      if (monthly && (from.getDayOfMonth() != 1 || to.getDayOfMonth() != 1)) {
        throw MetaloadException.badConfig(
            "load '"
                + d.name()
                + "': fields 'partitioning.from' and 'partitioning.to' of strategy 'month' "
                + "must be first days of months, were "
                + from
                + " and "
                + to);
      }
      if (!from.isBefore(to)) {
        throw MetaloadException.badConfig(
            "load '"
                + d.name()
                + "': field 'partitioning.to' ("
                + to
                + ") must be after 'partitioning.from' ("
                + from
                + ")");
      }
      long periods =
          monthly ? ChronoUnit.MONTHS.between(from, to) : ChronoUnit.DAYS.between(from, to);
      if (periods > MAX_CALENDAR_PARTITIONS) {
        throw MetaloadException.badConfig(
            "load '"
                + d.name()
                + "': "
                + from
                + " to "
                + to
                + " makes "
                + periods
                + " "
                + strategy
                + " partitions; at most "
                + MAX_CALENDAR_PARTITIONS
                + " are allowed");
      }
      LocalDate start = from;
      for (int i = 0; start.isBefore(to); i++) {
        LocalDate end = monthly ? start.plusMonths(1) : start.plusDays(1);
        String desc = key.name() + " in [" + start + ", " + end + ")";
        out.add(count(i, desc, null, calendarPosition(start), calendarPosition(end)));
        start = end;
      }
    }

    private LocalDate calendarBound(LoadDefinition d, int index, String field) {
      String literal = d.partitionValues().get(index);
      try {
        return LocalDate.parse(literal.trim());
      } catch (DateTimeParseException e) {
        throw MetaloadException.badConfig(
            "load '"
                + d.name()
                + "': field '"
                + field
                + "' must be a date like 2024-01-31, was '"
                + literal
                + "'");
      }
    }

    private long calendarPosition(LocalDate day) {
      return keyType.positionOf(day);
    }

    /**
     * The partitions' counts must add up to the rows any of the values selects; otherwise two
     * values select the same rows (e.g. 'EU' and 'eu' under a case-insensitive collation) and those
     * rows would be loaded twice.
     */
    private void refuseOverlappingValues(LoadDefinition d, List<PartitionPlan> partitions)
        throws SQLException {
      if (!countRows) {
        return;
      }
      if (partitions.stream().anyMatch(PartitionPlan::rowsEstimated)) {
        warnings.add(
            "the values of 'partitioning.values' were not checked for overlap (values equal under the column's collation), "
                + "as some of their counts are estimates");
        return;
      }
      String marks = String.join(", ", Collections.nCopies(d.partitionValues().size(), "?"));
      String sql =
          "SELECT COUNT(*) FROM "
              + dialect.qualified(table)
              + " WHERE "
              + dialect.quote(partitionColumn.name())
              + " IN ("
              + marks
              + ")";
      try (PreparedStatement ps = connection.prepareStatement(sql)) {
        for (int i = 0; i < d.partitionValues().size(); i++) {
          partitionColumn
              .type()
              .bind(ps, i + 1, partitionColumn.type().parse(d.partitionValues().get(i)));
        }
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long distinct = rs.getLong(1);
          long summed = partitions.stream().mapToLong(PartitionPlan::sourceRows).sum();
          if (distinct != summed) {
            throw MetaloadException.badConfig(
                "load '"
                    + d.name()
                    + "': the values of 'partitioning.values' overlap: they select "
                    + distinct
                    + " rows together but "
                    + summed
                    + " one by one (values equal under the column's collation?)");
          }
        }
      }
    }

    /**
     * Rows with a NULL split key would never be read, so they are refused before anything moves.
     */
    private void refuseNullKeys() throws SQLException {
      if (!countRows) {
        return;
      }
      for (Column column : orderKey == null ? List.of(key) : orderKey) {
        long nulls = column.nullable() ? countNulls(connection, dialect, table, column) : 0;
        if (nulls > 0) {
          throw MetaloadException.badConfig(
              "split key "
                  + table
                  + "."
                  + column.name()
                  + " is NULL in "
                  + nulls
                  + " rows, which keyset batches cannot reach; choose a NOT NULL split key");
        }
      }
    }

    private Object parse(Column column, String literal, String field) {
      try {
        return column.type().parse(literal);
      } catch (IllegalArgumentException e) {
        throw MetaloadException.badConfig(
            "field '" + field + "': " + e.getMessage() + " for column " + column.name());
      }
    }

    /**
     * The keys that cut the partition's rows, in key order, into {@code rows / batchSize} (at most
     * {@code MAX_SLICES}) equal slices: steps along the key's index where it has one, else one
     * sorted pass over the partition's keys. Not taken for a unique key that holds every position
     * of its range (even widths are even rows then), nor for a partition too small to be cut into
     * more than a few units.
     */
    private List<Long> quantiles(Filter filter, long rows, long minPosition) throws SQLException {
      long slices = Math.min(MAX_SLICES, rows / Math.max(1, batchSize));
      if (slices < 4 || rows < balanceBelow) {
        return List.of();
      }
      long step = (rows + slices - 1) / slices;
      if (dialect.pageSample(100).isPresent()
          && filter.isWhole()
          && rows >= Long.getLong(SAMPLE_QUANTILES_SWITCH, SAMPLE_QUANTILES_ABOVE)) {
        return CoarserOnTimeout.run(
            connection,
            "the sampled quantile pass over " + table,
            "its read units are cut evenly over the key "
                + "range (they may hold unequal rows on a skewed key)",
            () -> quantilesBySample(rows, slices, minPosition),
            List::of,
            warnings);
      }
      if (indexedKey == null) {
        indexedKey = dialect.hasIndexLeadingWith(connection, table, key.name());
      }
      boolean byIndex = indexedKey;
      return CoarserOnTimeout.run(
          connection,
          "the quantile pass over " + table,
          "its read units are cut evenly over the key range "
              + "(they may hold unequal rows on a skewed key)",
          () ->
              byIndex
                  ? quantilesByIndexSteps(filter, step, minPosition)
                  : quantilesByRowNumbers(filter, step, minPosition),
          List::of,
          warnings);
    }

    /**
     * Estimates the quantiles of a whole table from a sample of its pages ({@link
     * Dialect#pageSample}, PostgreSQL's {@code TABLESAMPLE SYSTEM}, about {@link #SAMPLE_ROWS}
     * rows, with a fixed seed), sorted by the database: a few thousand page reads instead of a pass
     * over the whole index. Units only need to be about even (every row is read whatever the cuts),
     * so estimates suffice.
     */
    private List<Long> quantilesBySample(long rows, long slices, long minPosition)
        throws SQLException {
      double percent = Math.min(100.0, 100.0 * SAMPLE_ROWS / rows);
      String k = dialect.quote(key.name());
      List<Long> sample = new ArrayList<>();
      try (PreparedStatement ps =
          connection.prepareStatement(
              "SELECT "
                  + k
                  + " FROM "
                  + dialect.qualified(table)
                  + dialect.pageSample(percent).orElseThrow()
                  + " ORDER BY "
                  + k)) {
        ps.setFetchSize(10_000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sample.add(keyType.toPosition(key.type().read(rs, 1)));
          }
        }
      }
      List<Long> out = new ArrayList<>();
      long last = minPosition;
      for (long i = 1; i < slices && !sample.isEmpty(); i++) {
        long position = sample.get((int) (i * sample.size() / slices));
        if (position > last) {
          out.add(position);
          last = position;
        }
      }
      return out;
    }

    /**
     * Walks the key's index in steps of {@code step} entries ({@code ORDER BY key LIMIT 1 OFFSET
     * step}, each step starting at the last quantile): one pass over the index without sorting or
     * materializing anything. A value with more rows than a step is skipped past.
     */
    private List<Long> quantilesByIndexSteps(Filter filter, long step, long minPosition)
        throws SQLException {
      String k = dialect.quote(key.name());
      String base = "SELECT " + k + " FROM " + dialect.qualified(table) + filter.sql();
      List<Long> out = new ArrayList<>();
      try (PreparedStatement stepQuery =
              connection.prepareStatement(
                  base + " AND " + k + " >= ? ORDER BY " + k + dialect.rowAfter(step));
          PreparedStatement nextQuery =
              connection.prepareStatement(
                  base + " AND " + k + " > ? ORDER BY " + k + dialect.firstRows(1))) {
        long cursor = minPosition;
        while (out.size() < MAX_SLICES) {
          Long found = first(stepQuery, filter, cursor);
          if (found != null && found <= cursor) {
            found = first(nextQuery, filter, cursor);
          }
          if (found == null) {
            break;
          }
          out.add(found);
          cursor = found;
        }
      }
      return out;
    }

    private Long first(PreparedStatement ps, Filter filter, long from) throws SQLException {
      ps.setObject(filter.bind(ps), keyType.fromPosition(from));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? keyType.toPosition(key.type().read(rs, 1)) : null;
      }
    }

    /**
     * Numbers the partition's rows in key order in one sorted pass and keeps every {@code step}-th
     * key.
     */
    private List<Long> quantilesByRowNumbers(Filter filter, long step, long minPosition)
        throws SQLException {
      String k = dialect.quote(key.name());
      String sql =
          "SELECT ml_k FROM (SELECT "
              + k
              + " AS ml_k, ROW_NUMBER() OVER (ORDER BY "
              + k
              + ") AS ml_rn FROM "
              + dialect.qualified(table)
              + filter.sql()
              + ") ml_q WHERE MOD(ml_rn - 1, "
              + step
              + ") = 0 AND ml_rn > 1 ORDER BY ml_k";
      List<Long> out = new ArrayList<>();
      try (PreparedStatement ps = connection.prepareStatement(sql)) {
        filter.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          long last = minPosition;
          while (rs.next()) {
            long position = keyType.toPosition(key.type().read(rs, 1));
            if (position > last) {
              out.add(position);
              last = position;
            }
          }
        }
      }
      return out;
    }

    /**
     * Counts an ordinal key's partition and finds the tuples that cut it into sub-ranges of one
     * batch.
     */
    private PartitionPlan countOrdinal(int id, String description, String value)
        throws SQLException {
      if (heapOrder) {
        TableRef relation = table;
        HeapOrder.Cuts cuts =
            CoarserOnTimeout.run(
                connection,
                "the pass counting the runs of heap pages of " + relation,
                "its runs of heap pages are cut evenly by size (each holds about "
                    + batchSize
                    + " rows where rows are spread evenly over the pages)",
                () -> HeapOrder.cut(connection, dialect, relation, batchSize),
                () ->
                    CoarserOnTimeout.run(
                        connection,
                        "counting the rows of " + relation,
                        "its rows are the catalog's estimate and validation "
                            + "checks the tuple-id ranges' tiling and the staging count but cannot compare the rows read with the source's",
                        () -> HeapOrder.evenCuts(connection, dialect, relation, batchSize, true),
                        () -> HeapOrder.evenCuts(connection, dialect, relation, batchSize, false),
                        warnings),
                warnings);
        PartitionPlan p = PartitionPlan.ordinal(id, description, value, cuts.rows, cuts.boundaries);
        return cuts.estimated ? p.asEstimate() : p;
      }
      Filter filter = new Filter(value, null, null);
      long rows;
      try (PreparedStatement ps =
          connection.prepareStatement(
              "SELECT COUNT(*) FROM " + dialect.qualified(table) + filter.sql())) {
        filter.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          rows = rs.getLong(1);
        }
      }
      if (indexedKey == null) {
        indexedKey = dialect.hasIndexLeadingWith(connection, table, key.name());
      }
      BoundaryPlanner boundaries =
          new BoundaryPlanner(connection, dialect, table, orderKey, uniqueKey && indexedKey);
      return PartitionPlan.ordinal(
          id,
          description,
          value,
          rows,
          boundaries.boundaries(filter.sql(), filter::bind, rows, batchSize));
    }

    /**
     * A partition's predicate: its list value and split-key bounds, as SQL and as bound parameters.
     */
    private final class Filter {
      private final String value;
      private final Long low;
      private final Long high;

      Filter(String value, Long low, Long high) {
        this.value = value;
        this.low = low;
        this.high = high;
      }

      /** True when the filter selects every row of the table. */
      boolean isWhole() {
        return (value == null || partitionColumn == null) && low == null && high == null;
      }

      /** {@code " WHERE 1=1 AND ..."}, with a parameter per condition. */
      String sql() {
        String k = dialect.quote(key.name());
        return " WHERE 1=1"
            + (value == null || partitionColumn == null
                ? ""
                : " AND " + dialect.quote(partitionColumn.name()) + " = ?")
            + (low == null ? "" : " AND " + k + " >= ?")
            + (high == null ? "" : " AND " + k + " < ?");
      }

      /** Binds the conditions' values; returns the next parameter index. */
      int bind(PreparedStatement ps) throws SQLException {
        int i = 1;
        if (value != null && partitionColumn != null) {
          partitionColumn.type().bind(ps, i++, partitionColumn.type().parse(value));
        }
        if (low != null) {
          ps.setObject(i++, keyType.fromPosition(low));
        }
        if (high != null) {
          ps.setObject(i++, keyType.fromPosition(high));
        }
        return i;
      }
    }

    private PartitionPlan count(int id, String description, String value, Long low, Long high)
        throws SQLException {
      if (!countRows) {
        return orderKey == null
            ? PartitionPlan.of(id, description, value, 0, 0, 0)
            : PartitionPlan.ordinal(id, description, value, 0, List.of());
      }
      if (orderKey != null) {
        return countOrdinal(id, description, value);
      }
      String k = dialect.quote(key.name());
      Filter filter = new Filter(value, low, high);
      return CoarserOnTimeout.run(
          connection,
          "counting the rows of " + table + " (" + description + ")",
          "its rows are the "
              + "database's estimate and validation checks the key ranges' tiling and the staging count but cannot compare the rows "
              + "read with the source's",
          () -> {
            try (PreparedStatement ps =
                connection.prepareStatement(
                    "SELECT COUNT(*), MIN("
                        + k
                        + "), MAX("
                        + k
                        + ") FROM "
                        + dialect.qualified(table)
                        + filter.sql())) {
              filter.bind(ps);
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long rows = rs.getLong(1);
                PartitionPlan p =
                    bounded(
                        id,
                        description,
                        value,
                        low,
                        rows,
                        key.type().read(rs, 2),
                        key.type().read(rs, 3));
                boolean dense = uniqueKey && p.keyTo() - p.keyFrom() == rows;
                return rows == 0 || dense
                    ? p
                    : p.withQuantiles(quantiles(filter, rows, p.keyFrom()));
              }
            }
          },
          () -> estimated(id, description, value, low, filter),
          warnings);
    }

    private PartitionPlan bounded(
        int id, String description, String value, Long low, long rows, Object min, Object max) {
      if (rows == 0 || min == null) {
        long at = low == null ? 0 : low;
        return PartitionPlan.of(id, description, value, at, at, 0);
      }
      long maxPosition = keyType.toPosition(max);
      if (maxPosition == Long.MAX_VALUE) {
        throw MetaloadException.badConfig(
            "split key "
                + key.name()
                + " reaches the largest possible value; metaload needs one position above the maximum");
      }
      return PartitionPlan.of(
          id, description, value, keyType.toPosition(min), maxPosition + 1, rows);
    }

    /**
     * A partition whose count the source stopped: its key bounds from two queries that an index on
     * the key answers at once, and the planner's estimate of its rows; units are cut evenly.
     */
    private PartitionPlan estimated(
        int id, String description, String value, Long low, Filter filter) throws SQLException {
      String select = "SELECT * FROM " + dialect.qualified(table) + filter.sql();
      String explain =
          dialect
              .explainRows(select)
              .orElseThrow(() -> new SQLException(dialect.name() + " gives no row estimate"));
      long rows;
      try (PreparedStatement ps = connection.prepareStatement(explain)) {
        filter.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          rows = dialect.explainedRows(rs);
        }
      }
      Object min = bound("MIN", filter);
      if (min == null) {
        return bounded(id, description, value, low, 0, null, null).asEstimate();
      }
      return bounded(id, description, value, low, Math.max(1, rows), min, bound("MAX", filter))
          .asEstimate();
    }

    private Object bound(String function, Filter filter) throws SQLException {
      try (PreparedStatement ps =
          connection.prepareStatement(
              "SELECT "
                  + function
                  + "("
                  + dialect.quote(key.name())
                  + ") FROM "
                  + dialect.qualified(table)
                  + filter.sql())) {
        filter.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return key.type().read(rs, 1);
        }
      }
    }
  }
}

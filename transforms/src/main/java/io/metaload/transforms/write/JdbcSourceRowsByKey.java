package io.metaload.transforms.write;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.Connections;
import io.metaload.metadata.config.RetryPolicy;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.plan.DeltaWindow;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.store.RunContext;
import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.flowgraph.Flowgraphs;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Looks target keys up in a JDBC source table by the source's primary key, as the source is now
 * (after the window was read), on one connection opened at the first lookup; and stages their
 * current rows through the load's flowgraph with the same conversions the pipeline's INSERT path
 * uses.
 *
 * <pre>{@code
 * try (JdbcSourceRowsByKey source = JdbcSourceRowsByKey.forRun(run, sourceSpec, targetSpec, retry).orElse(null)) {
 *   publisher.publish(target, entry, schema, column, replaced, false, source, fence);
 * }
 * }</pre>
 */
public final class JdbcSourceRowsByKey implements SourceRowsByKey, AutoCloseable {
  private final ConnectionSpec spec;
  private final Dialect dialect;
  private final RunContext run;
  private final List<Column> key;
  private final List<Column> columns;
  private final Object aheadFrom;
  private final UnaryOperator<RowBatch> flowgraph;
  private final BatchLoader loader;
  private final Column partitionColumn;
  private final List<Object> partitionValues = new ArrayList<>();
  private Connection connection;

  private JdbcSourceRowsByKey(
      RunContext run, ConnectionSpec spec, List<Column> key, StagingTarget staging) {
    LoadPlan plan = run.plan();
    DeltaWindow window = plan.window();
    this.spec = spec;
    this.dialect = Dialect.forUrl(spec.url());
    this.run = run;
    this.key = List.copyOf(key);
    this.columns = plan.sourceSchema().columns();
    this.aheadFrom =
        window.high() == null ? null : window.type().fromPosition(nextWindowStart(window));
    this.flowgraph =
        Flowgraphs.rows(plan.flowgraph(), plan.sourceSchema(), Set.copyOf(plan.piiSourceColumns()));
    this.loader = BatchLoader.forTarget(staging);
    boolean listed =
        plan.definition().partitionStrategy() == PartitionStrategy.LIST
            && plan.partitionColumn() != null;
    this.partitionColumn = listed ? plan.partitionColumn() : null;
    if (listed) {
      for (String v : plan.definition().partitionValues()) {
        partitionValues.add(partitionColumn.type().parse(v));
      }
    }
  }

  /**
   * Where the load's next regular window can start at the latest: this window's end, or, for a
   * backfill below the published watermark, that watermark. A row moved at or after it is read by a
   * later window; one moved before it is not.
   */
  private static long nextWindowStart(DeltaWindow window) {
    long end = window.high();
    if (window.previousWatermark() != null) {
      try {
        return Math.max(end, window.type().parsePosition(window.previousWatermark()));
      } catch (RuntimeException e) {
        return end;
      }
    }
    return end;
  }

  /**
   * The source of a run's window, where the target's primary key is the source's carried through
   * the flowgraph (so a target key names one source row); empty otherwise.
   */
  public static Optional<JdbcSourceRowsByKey> forRun(
      RunContext run, ConnectionSpec source, ConnectionSpec target, RetryPolicy retry) {
    LoadPlan plan = run.plan();
    if (plan.window() == null || !plan.targetKeyIsSourceKey()) {
      return Optional.empty();
    }
    List<String> sourceKey = plan.sourceSchema().primaryKey();
    List<String> carried =
        sourceKey.stream().map(s -> plan.targetColumnFor(s).name()).collect(Collectors.toList());
    List<Column> key = new ArrayList<>();
    for (String targetName : plan.targetSchema().primaryKey()) {
      for (int i = 0; i < carried.size(); i++) {
        if (carried.get(i).equalsIgnoreCase(targetName)) {
          key.add(plan.sourceSchema().column(sourceKey.get(i)).orElseThrow());
        }
      }
    }
    return Optional.of(
        new JdbcSourceRowsByKey(run, source, key, StagingTarget.forRun(run, target, 1, retry)));
  }

  @Override
  public Map<List<Object>, Boolean> aheadOfWindow(List<List<Object>> keys) throws SQLException {
    String delta = dialect.quote(run.plan().window().column());
    Set<List<Object>> probes = new HashSet<>();
    keys.forEach(k -> probes.add(WindowDeletion.canonical(k)));
    Map<List<Object>, Boolean> found = new HashMap<>();
    try (PreparedStatement ps =
        select(
            key.stream().map(k -> dialect.quote(k.name())).collect(Collectors.joining(", "))
                + ", CASE WHEN "
                + delta
                + " >= ? THEN 1 ELSE 0 END",
            keys,
            1)) {
      ps.setObject(1, aheadFrom);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<Object> k = KeyValues.read(rs, key);
          List<Object> canonical = WindowDeletion.canonical(k);
          if (!probes.contains(canonical)) {
            throw new MetaloadException(
                ExitCode.LOAD_FAILED,
                "run "
                    + run.runId()
                    + ": looking target keys up in source "
                    + run.plan().source()
                    + " returned key "
                    + k
                    + ", which matches none of the target's keys as read: the target's key values differ from "
                    + "the source's (a flowgraph that changes them, or a type that reads back otherwise), so rows that left the window "
                    + "cannot be told from deleted ones. Nothing was published");
          }
          found.put(canonical, aheadFrom != null && rs.getInt(key.size() + 1) == 1);
        }
      }
    }
    return found;
  }

  @Override
  public long stage(Connection target, List<List<Object>> keys) throws SQLException {
    if (keys.isEmpty()) {
      return 0;
    }
    ColumnType[] types = columns.stream().map(Column::type).toArray(ColumnType[]::new);
    List<Object[]> rows = new ArrayList<>();
    try (PreparedStatement ps = select(dialect.columnList(columns), keys, 0);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Object[] row = new Object[types.length];
        for (int c = 0; c < types.length; c++) {
          row[c] = types[c].read(rs, c + 1);
        }
        rows.add(row);
      }
    }
    RowBatch read =
        new RowBatch(
            run.runId(),
            run.loadName(),
            -1,
            0,
            0,
            rows.size(),
            System.currentTimeMillis(),
            types,
            rows);
    RowBatch shaped = flowgraph.apply(read);
    return loader.load(target, shaped).rows();
  }

  /**
   * {@code SELECT what FROM source WHERE <one of keys>}, with the keys bound after {@code before}
   * leading parameters.
   */
  private PreparedStatement select(String what, List<List<Object>> keys, int before)
      throws SQLException {
    if (connection == null) {
      connection = Connections.open(spec, "source");
    }
    String one =
        "("
            + key.stream()
                .map(k -> dialect.quote(k.name()) + " = ?")
                .collect(Collectors.joining(" AND "))
            + ")";
    String listed =
        partitionColumn == null
            ? ""
            : " AND "
                + dialect.quote(partitionColumn.name())
                + " IN ("
                + partitionValues.stream().map(v -> "?").collect(Collectors.joining(", "))
                + ")";
    PreparedStatement ps =
        connection.prepareStatement(
            "SELECT "
                + what
                + " FROM "
                + dialect.qualified(run.plan().source())
                + " WHERE ("
                + keys.stream().map(k -> one).collect(Collectors.joining(" OR "))
                + ")"
                + listed);
    int p = before + 1;
    for (List<Object> k : keys) {
      for (int i = 0; i < key.size(); i++) {
        bind(ps, p++, key.get(i).type(), k.get(i));
      }
    }
    for (Object v : partitionValues) {
      partitionColumn.type().bind(ps, p++, v);
    }
    return ps;
  }

  /**
   * A target value bound to a source key column: as text where the source column is text and the
   * target's is not.
   */
  private void bind(PreparedStatement ps, int i, ColumnType type, Object value)
      throws SQLException {
    boolean text = type == ColumnType.STRING || type == ColumnType.TEXT_FORM;
    dialect.bindKey(
        ps,
        i,
        type,
        text && value != null && !(value instanceof String) ? value.toString() : value);
  }

  @Override
  public void close() throws SQLException {
    if (connection != null) {
      connection.close();
    }
  }
}

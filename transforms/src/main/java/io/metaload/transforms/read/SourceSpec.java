package io.metaload.transforms.read;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.RetryPolicy;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.plan.split.KeyBoundaries;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.store.RunContext;
import java.io.Serializable;
import java.util.List;
import javax.annotation.Nullable;

/** What the reader needs to know about one load's source table. */
@AutoValue
public abstract class SourceSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract ConnectionSpec connection();

  public abstract Dialect dialect();

  public abstract TableRef table();

  public abstract List<Column> columns();

  public abstract int splitKeyIndex();

  public abstract SplitKeyType splitKeyType();

  public abstract boolean uniqueSplitKey();

  @Nullable
  public abstract Column partitionColumn();

  public abstract int batchSize();

  public abstract int fetchSize();

  public abstract RetryPolicy retry();

  /**
   * How the rows are read: through JDBC, or as PostgreSQL binary COPY tuples, decoded or passed on.
   */
  public abstract ReadPath readPath();

  /** How a reader fetches rows. */
  public enum ReadPath {
    /** Keyset queries through JDBC, values decoded by the driver. */
    JDBC,
    /**
     * Keyset queries as PostgreSQL binary COPY, values decoded from the tuples ({@link
     * CopyDecoding}).
     */
    COPY_DECODED,
    /**
     * Keyset queries as PostgreSQL binary COPY, tuples passed to the writer undecoded ({@link
     * CopyPassThrough}).
     */
    COPY_PASS_THROUGH
  }

  /**
   * The exported source snapshot every reader imports (PostgreSQL), or null to read the live table.
   */
  @Nullable
  public abstract String snapshotId();

  /**
   * An ordinal split key's sub-ranges, read one per batch; null for integer, date and timestamp
   * keys.
   */
  @Nullable
  public abstract KeyBoundaries keyBoundaries();

  /**
   * True when each read unit's partition value names a partition of the source table ({@code
   * partitioning: { strategy: source }}), which the unit's queries then read instead of the table.
   */
  public abstract boolean sourcePartitions();

  /**
   * The table a unit with partition value {@code partitionValue} reads: the source, or its
   * partition.
   */
  public TableRef relation(@Nullable String partitionValue) {
    return sourcePartitions()
        ? dialect().catalog().sourcePartition(table(), partitionValue)
        : table();
  }

  /** The same source read in {@code snapshot}. */
  public SourceSpec withSnapshot(@Nullable String snapshot) {
    return new AutoValue_SourceSpec(
        connection(),
        dialect(),
        table(),
        columns(),
        splitKeyIndex(),
        splitKeyType(),
        uniqueSplitKey(),
        partitionColumn(),
        batchSize(),
        fetchSize(),
        retry(),
        readPath(),
        snapshot,
        keyBoundaries(),
        sourcePartitions());
  }

  /** The same source with an ordinal key's sub-ranges. */
  public SourceSpec withKeyBoundaries(@Nullable KeyBoundaries boundaries) {
    return new AutoValue_SourceSpec(
        connection(),
        dialect(),
        table(),
        columns(),
        splitKeyIndex(),
        splitKeyType(),
        uniqueSplitKey(),
        partitionColumn(),
        batchSize(),
        fetchSize(),
        retry(),
        readPath(),
        snapshotId(),
        boundaries,
        sourcePartitions());
  }

  /** The same source, read partition by partition when {@code partitions} is true. */
  public SourceSpec withSourcePartitions(boolean partitions) {
    return new AutoValue_SourceSpec(
        connection(),
        dialect(),
        table(),
        columns(),
        splitKeyIndex(),
        splitKeyType(),
        uniqueSplitKey(),
        partitionColumn(),
        batchSize(),
        fetchSize(),
        retry(),
        readPath(),
        snapshotId(),
        keyBoundaries(),
        partitions);
  }

  public static SourceSpec of(
      ConnectionSpec connection,
      Dialect dialect,
      TableRef table,
      List<Column> columns,
      int splitKeyIndex,
      SplitKeyType splitKeyType,
      boolean uniqueSplitKey,
      @Nullable Column partitionColumn,
      int batchSize,
      int fetchSize) {
    return of(
        connection,
        dialect,
        table,
        columns,
        splitKeyIndex,
        splitKeyType,
        uniqueSplitKey,
        partitionColumn,
        batchSize,
        fetchSize,
        RetryPolicy.defaults(),
        ReadPath.JDBC);
  }

  public static SourceSpec of(
      ConnectionSpec connection,
      Dialect dialect,
      TableRef table,
      List<Column> columns,
      int splitKeyIndex,
      SplitKeyType splitKeyType,
      boolean uniqueSplitKey,
      @Nullable Column partitionColumn,
      int batchSize,
      int fetchSize,
      RetryPolicy retry,
      ReadPath readPath) {
    return new AutoValue_SourceSpec(
        connection,
        dialect,
        table,
        List.copyOf(columns),
        splitKeyIndex,
        splitKeyType,
        uniqueSplitKey,
        partitionColumn,
        batchSize,
        fetchSize,
        retry,
        readPath,
        null,
        null,
        false);
  }

  /** The source of a started run. */
  public static SourceSpec forRun(
      RunContext run,
      ConnectionSpec connection,
      RetryPolicy retry,
      ReadPath readPath,
      @Nullable String snapshotId) {
    var plan = run.plan();
    return of(
            connection,
            Dialect.forUrl(connection.url()),
            plan.source(),
            plan.sourceSchema().columns(),
            plan.sourceSchema().indexOf(plan.splitKey().name()),
            plan.splitKeyType(),
            plan.uniqueSplitKey(),
            plan.partitionColumn(),
            plan.definition().batchSize(),
            plan.definition().fetchSize(),
            retry,
            readPath)
        .withSnapshot(snapshotId)
        .withKeyBoundaries(KeyBoundaries.of(plan))
        .withSourcePartitions(plan.definition().partitionStrategy() == PartitionStrategy.SOURCE);
  }
}

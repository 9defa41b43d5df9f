package io.metaload.metadata.model;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * What to load and how: one row of {@code load_definition}, one entry of a loads YAML file.
 *
 * <pre>{@code
 * LoadDefinition orders = LoadDefinition.builder()
 *     .name("orders").sourceConnection("crm").sourceTable("public.orders").splitKey("id")
 *     .targetConnection("dwh").targetTable("orders")
 *     .build();
 * }</pre>
 */
@AutoValue
public abstract class LoadDefinition implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final int DEFAULT_BATCH_SIZE = 50_000;
  public static final int DEFAULT_FETCH_SIZE = 10_000;
  public static final String DEFAULT_FLOWGRAPH = "identity";
  public static final String DEFAULT_FENCE_MARGIN = "0s";
  public static final String DEFAULT_FENCE_WAIT = "60s";

  public abstract String name();

  public abstract String sourceConnection();

  public abstract String sourceTable();

  /** The split key's (first) column. */
  public abstract String splitKey();

  /**
   * A composite split key's columns after the first ({@code splitKey: [tenant_id, id]}); empty for
   * one column.
   */
  public abstract List<String> additionalSplitKeys();

  /** Every column of the split key, in order. */
  public List<String> splitKeyColumns() {
    List<String> all = new ArrayList<>();
    all.add(splitKey());
    all.addAll(additionalSplitKeys());
    return all;
  }

  public abstract PartitionStrategy partitionStrategy();

  /** The column a {@link PartitionStrategy#LIST} partitions on. */
  @Nullable
  public abstract String partitionColumn();

  /** LIST: one value per partition; RANGE: ascending split-key boundaries. */
  public abstract List<String> partitionValues();

  public abstract DeltaMode deltaMode();

  /**
   * The column a windowed {@link #deltaMode()} reads along: a timestamp, date or increasing
   * integer.
   */
  @Nullable
  public abstract String deltaColumn();

  /**
   * How far before the last published watermark each window starts, so rows that arrive late are
   * read again: a duration ({@code 2h}, {@code 3d}, {@code PT30M}) for dates and timestamps, a
   * number for integers. Null: no lookback.
   */
  @Nullable
  public abstract String lookback();

  /**
   * Subtracted from a timestamp fence for writers whose clocks may lag the source's (a duration).
   */
  public abstract String fenceMargin();

  /**
   * How long planning waits for transactions that may still commit rows below an integer fence (a
   * duration).
   */
  public abstract String fenceWait();

  /**
   * The zone the source stamps a date or a {@code timestamp}/{@code datetime} column without time
   * zone in (a region like {@code Europe/Berlin} or an offset like {@code +02:00}). Null: the
   * source server's own default zone, never the launcher's.
   */
  @Nullable
  public abstract String deltaTimeZone();

  /**
   * How long a run may take (a duration); at 80% it is logged as at risk, at 100% as missed. Null:
   * no SLA.
   */
  @Nullable
  public abstract String sla();

  /**
   * What a missed {@link #sla()} does: {@code warn} (null means the same) or {@code fail}, which
   * stops the run.
   */
  @Nullable
  public abstract String slaAction();

  /** True when a missed SLA stops the run. */
  public boolean failsOnMissedSla() {
    return "fail".equals(slaAction());
  }

  public abstract int batchSize();

  public abstract int fetchSize();

  public abstract String targetConnection();

  public abstract String targetTable();

  public abstract WriteMode writeMode();

  public abstract String flowgraph();

  /**
   * How many rejected rows a run may have and still publish; with {@link #maxRejectShare()},
   * whichever is stricter. Both null: none (a rejected row fails the run before publication).
   */
  @Nullable
  public abstract Long maxRejects();

  /**
   * The largest share of rows read (0 to 1) a run may reject and still publish; null: no share
   * limit.
   */
  @Nullable
  public abstract Double maxRejectShare();

  /**
   * Why {@code rejected} of {@code read} rows are too many to publish, or empty when they are
   * tolerated.
   */
  public Optional<String> rejectLimitBreach(long rejected, long read) {
    if (rejected == 0) {
      return Optional.empty();
    }
    if (maxRejects() == null && maxRejectShare() == null) {
      return Optional.of(
          rejected + " rows rejected and load '" + name() + "' tolerates none (set maxRejects)");
    }
    if (maxRejects() != null && rejected > maxRejects()) {
      return Optional.of(rejected + " rows rejected, more than maxRejects.rows = " + maxRejects());
    }
    if (maxRejectShare() != null && rejected > maxRejectShare() * read) {
      return Optional.of(
          rejected
              + " of "
              + read
              + " rows rejected, more than maxRejects.share = "
              + maxRejectShare());
    }
    return Optional.empty();
  }

  public static Builder builder() {
    return new AutoValue_LoadDefinition.Builder()
        .partitionStrategy(PartitionStrategy.NONE)
        .partitionValues(List.of())
        .additionalSplitKeys(List.of())
        .deltaMode(DeltaMode.FULL)
        .fenceMargin(DEFAULT_FENCE_MARGIN)
        .fenceWait(DEFAULT_FENCE_WAIT)
        .batchSize(DEFAULT_BATCH_SIZE)
        .fetchSize(DEFAULT_FETCH_SIZE)
        .writeMode(WriteMode.SWAP)
        .flowgraph(DEFAULT_FLOWGRAPH);
  }

  public abstract Builder toBuilder();

  /** Builder; {@link LoadDefinitionValidator} checks the result. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder name(String name);

    public abstract Builder sourceConnection(String connection);

    public abstract Builder sourceTable(String table);

    public abstract Builder splitKey(String column);

    public abstract Builder additionalSplitKeys(List<String> columns);

    public abstract Builder partitionStrategy(PartitionStrategy strategy);

    public abstract Builder partitionColumn(@Nullable String column);

    public abstract Builder partitionValues(List<String> values);

    public abstract Builder deltaMode(DeltaMode mode);

    public abstract Builder deltaColumn(@Nullable String column);

    public abstract Builder lookback(@Nullable String lookback);

    public abstract Builder fenceMargin(String duration);

    public abstract Builder fenceWait(String duration);

    public abstract Builder deltaTimeZone(@Nullable String zone);

    public abstract Builder sla(@Nullable String duration);

    public abstract Builder slaAction(@Nullable String action);

    public abstract Builder batchSize(int rows);

    public abstract Builder fetchSize(int rows);

    public abstract Builder targetConnection(String connection);

    public abstract Builder targetTable(String table);

    public abstract Builder writeMode(WriteMode mode);

    public abstract Builder flowgraph(String name);

    public abstract Builder maxRejects(@Nullable Long rows);

    public abstract Builder maxRejectShare(@Nullable Double share);

    public abstract LoadDefinition build();
  }
}

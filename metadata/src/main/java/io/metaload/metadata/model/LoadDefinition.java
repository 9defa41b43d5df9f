package io.metaload.metadata.model;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;
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

  public abstract String name();

  public abstract String sourceConnection();

  public abstract String sourceTable();

  public abstract String splitKey();

  public abstract PartitionStrategy partitionStrategy();

  /** The column a {@link PartitionStrategy#LIST} partitions on. */
  @Nullable
  public abstract String partitionColumn();

  /** LIST: one value per partition; RANGE: ascending split-key boundaries. */
  public abstract List<String> partitionValues();

  public abstract DeltaMode deltaMode();

  public abstract int batchSize();

  public abstract int fetchSize();

  public abstract String targetConnection();

  public abstract String targetTable();

  public abstract WriteMode writeMode();

  public abstract String flowgraph();

  public static Builder builder() {
    return new AutoValue_LoadDefinition.Builder()
        .partitionStrategy(PartitionStrategy.NONE)
        .partitionValues(List.of())
        .deltaMode(DeltaMode.FULL)
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

    public abstract Builder partitionStrategy(PartitionStrategy strategy);

    public abstract Builder partitionColumn(@Nullable String column);

    public abstract Builder partitionValues(List<String> values);

    public abstract Builder deltaMode(DeltaMode mode);

    public abstract Builder batchSize(int rows);

    public abstract Builder fetchSize(int rows);

    public abstract Builder targetConnection(String connection);

    public abstract Builder targetTable(String table);

    public abstract Builder writeMode(WriteMode mode);

    public abstract Builder flowgraph(String name);

    public abstract LoadDefinition build();
  }
}

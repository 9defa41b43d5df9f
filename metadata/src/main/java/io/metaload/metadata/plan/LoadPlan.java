package io.metaload.metadata.plan;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.contract.ContractDefinition;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.flowgraph.TypedFlowgraph;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.plan.split.HeapOrder;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * Everything the planner learned about one load before any data moves: the source's shape, the
 * split key, the partitions with their exact counts, and the target's shape.
 */
@AutoValue
public abstract class LoadPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract LoadDefinition definition();

  public abstract TableRef source();

  public abstract TableSchema sourceSchema();

  /** The split key column as the source catalog spells it. */
  public abstract Column splitKey();

  public abstract SplitKeyType splitKeyType();

  /** True when the split key alone is the source's primary key, so batches need no tie handling. */
  public abstract boolean uniqueSplitKey();

  /**
   * Ordinal split keys only: the columns rows are ordered and cut by, the split key first, then the
   * primary key's other columns where the split key alone is not unique. Empty otherwise.
   */
  public abstract List<String> orderKey();

  /**
   * Set when an ordinal plan's sub-ranges are runs of heap pages ({@code orderKey} is then {@code
   * [ctid]}): the planning snapshot and file node a resume checks the table against.
   */
  @Nullable
  public abstract HeapOrder heapOrder();

  @Nullable
  public abstract Column partitionColumn();

  public abstract List<PartitionPlan> partitions();

  public abstract TableRef target();

  /** The target's columns: the existing table's, or the ones it will be created with. */
  public abstract TableSchema targetSchema();

  public abstract boolean targetExists();

  /** The window a windowed delta load's run reads; null for a full load. */
  @Nullable
  public abstract DeltaWindow window();

  /** The flowgraph the run applies, as typed against {@link #sourceSchema()}. */
  public abstract TypedFlowgraph flowgraph();

  /** The load's data contract, checked on staging before publication; null when it has none. */
  @Nullable
  public abstract ContractDefinition contract();

  /** The contract's PII columns, as target column names; empty without a contract. */
  public List<String> piiTargetColumns() {
    List<String> out = new ArrayList<>();
    if (contract() != null) {
      contract().schema().stream().filter(c -> c.pii()).forEach(c -> out.add(c.name()));
    }
    return out;
  }

  /**
   * The source columns that the contract's PII columns carry, so that a reject never shows them;
   * empty without a contract.
   */
  public List<String> piiSourceColumns() {
    List<String> out = new ArrayList<>();
    for (String name : piiTargetColumns()) {
      int at = flowgraph().output().indexOf(name);
      if (at >= 0 && !flowgraph().origins().get(at).isEmpty()) {
        out.add(flowgraph().origins().get(at));
      }
    }
    return out;
  }

  /** This plan with {@code contract} (the version the run keeps to). */
  public LoadPlan withContract(@Nullable ContractDefinition contract) {
    return toBuilder().contract(contract).build();
  }

  public abstract Builder toBuilder();

  /**
   * Things the planner noticed that do not stop the run (e.g. an unindexed delta column); not
   * stored with the plan.
   */
  public abstract List<String> warnings();

  /**
   * The target column that receives source column {@code sourceName} through the flowgraph, or a
   * bad-config error when the flowgraph drops or replaces it.
   */
  public Column targetColumnFor(String sourceName) {
    Column staged =
        flowgraph()
            .carrying(sourceName)
            .orElseThrow(
                () ->
                    MetaloadException.badConfig(
                        "load '"
                            + definition().name()
                            + "': flowgraph '"
                            + flowgraph().definition().name()
                            + "' does not carry source column "
                            + sourceName
                            + " to the target, which this load needs"));
    return targetSchema().columns().get(flowgraph().output().indexOf(staged.name()));
  }

  /**
   * Whether the target's primary key is the source's carried through the flowgraph: then a target
   * key names one source row, and one snapshot of the source holds each key at most once.
   */
  public boolean targetKeyIsSourceKey() {
    List<String> carried = new ArrayList<>();
    for (String name : sourceSchema().primaryKey()) {
      if (flowgraph().carrying(name).isEmpty()) {
        return false;
      }
      carried.add(targetColumnFor(name).name());
    }
    return !carried.isEmpty() && targetSchema().primaryKeyIs(carried);
  }

  public long sourceRows() {
    return partitions().stream().mapToLong(PartitionPlan::sourceRows).sum();
  }

  public static Builder builder() {
    return new AutoValue_LoadPlan.Builder().warnings(List.of()).orderKey(List.of());
  }

  /** Builder used by {@link RunPlanner}. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder definition(LoadDefinition d);

    public abstract Builder source(TableRef t);

    public abstract Builder sourceSchema(TableSchema s);

    public abstract Builder splitKey(Column c);

    public abstract Builder splitKeyType(SplitKeyType t);

    public abstract Builder uniqueSplitKey(boolean unique);

    public abstract Builder orderKey(List<String> columns);

    public abstract Builder heapOrder(@Nullable HeapOrder heapOrder);

    public abstract Builder partitionColumn(@Nullable Column c);

    public abstract Builder partitions(List<PartitionPlan> p);

    public abstract Builder target(TableRef t);

    public abstract Builder targetSchema(TableSchema s);

    public abstract Builder targetExists(boolean exists);

    public abstract Builder window(@Nullable DeltaWindow window);

    public abstract Builder warnings(List<String> warnings);

    public abstract Builder flowgraph(TypedFlowgraph flowgraph);

    public abstract Builder contract(@Nullable ContractDefinition contract);

    abstract Optional<TypedFlowgraph> flowgraph();

    abstract TableSchema sourceSchema();

    abstract LoadPlan autoBuild();

    /** Builds the plan; without a flowgraph, the identity over the source schema. */
    public LoadPlan build() {
      if (flowgraph().isEmpty()) {
        flowgraph(TypedFlowgraph.identity(sourceSchema()));
      }
      return autoBuild();
    }
  }
}

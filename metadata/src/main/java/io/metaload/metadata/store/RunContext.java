package io.metaload.metadata.store;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.PartitionPlan;
import io.metaload.metadata.plan.ReadUnit;
import io.metaload.metadata.plan.UnitSplitter;
import io.metaload.metadata.schema.TableRef;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** A started run: its id, its plan, and the per-run staging and ledger tables in the target. */
@AutoValue
public abstract class RunContext implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract long runId();

  public abstract LoadPlan plan();

  public abstract TableRef staging();

  public abstract TableRef ledger();

  /**
   * The run's identity beyond this metadata store (a UUID), under which the target's publication
   * log records it: run ids restart when a store is recreated, this does not.
   */
  public abstract String runUid();

  public static RunContext of(
      long runId, LoadPlan plan, TableRef staging, TableRef ledger, String runUid) {
    return new AutoValue_RunContext(runId, plan, staging, ledger, runUid);
  }

  public String loadName() {
    return plan().definition().name();
  }

  /** The read units of every partition, sized so {@code workers} workers all have work. */
  public List<ReadUnit> readUnits(int workers) {
    int target = Math.max(1, workers) * 4;
    List<ReadUnit> out = new ArrayList<>();
    for (PartitionPlan p : plan().partitions()) {
      out.addAll(
          UnitSplitter.split(
              runId(),
              loadName(),
              p,
              plan().sourceRows(),
              target,
              plan().definition().batchSize()));
    }
    return out;
  }
}

package io.metaload.metadata.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The read units of a resumed run: each partition's split-key range minus the ranges its
 * committed batches cover. Rows between two committed batches of one unit do not exist (the
 * second batch began at the next key), so the gaps hold exactly the uncommitted work; empty
 * gaps cost one indexed query each.
 */
public final class ResumePlanner {
  private ResumePlanner() {}

  /** A committed batch's split-key interval, both ends inclusive. */
  public static final class Covered {
    final int partitionId;
    final long first;
    final long last;

    public Covered(int partitionId, long first, long last) {
      this.partitionId = partitionId;
      this.first = first;
      this.last = last;
    }
  }

  public static List<ReadUnit> remainingUnits(long runId, LoadPlan plan, List<Covered> committed, long rowsLeft, int workers) {
    List<ReadUnit> out = new ArrayList<>();
    List<long[]> gaps = new ArrayList<>();
    List<PartitionPlan> owners = new ArrayList<>();
    long totalWidth = 0;
    for (PartitionPlan p : plan.partitions()) {
      List<Covered> mine = new ArrayList<>();
      committed.stream().filter(c -> c.partitionId == p.partitionId()).forEach(mine::add);
      mine.sort(Comparator.comparingLong(c -> c.first));
      long cursor = p.keyFrom();
      for (Covered c : mine) {
        if (c.first > cursor) {
          gaps.add(new long[] {cursor, c.first});
          owners.add(p);
        }
        cursor = Math.max(cursor, c.last + 1);
      }
      if (cursor < p.keyTo()) {
        gaps.add(new long[] {cursor, p.keyTo()});
        owners.add(p);
      }
    }
    for (long[] g : gaps) {
      totalWidth += Math.max(1, g[1] - g[0]);
    }
    int targetUnits = Math.max(1, workers) * 4;
    for (int i = 0; i < gaps.size(); i++) {
      long[] g = gaps.get(i);
      PartitionPlan owner = owners.get(i);
      long estimate = totalWidth == 0 ? 0 : Math.max(1, Math.round((double) rowsLeft * Math.max(1, g[1] - g[0]) / totalWidth));
      PartitionPlan gap = PartitionPlan.of(owner.partitionId(), owner.description(), owner.predicateValue(), g[0], g[1], estimate);
      out.addAll(UnitSplitter.split(runId, plan.definition().name(), gap, Math.max(1, rowsLeft), targetUnits, plan.definition().batchSize()));
    }
    return out;
  }
}

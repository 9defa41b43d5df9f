package io.metaload.metadata.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The read units of a resumed run: each partition's split-key range minus the key ranges its
 * committed batches read (each batch records the whole range it stands for, empty stretches
 * included), so the gaps hold exactly the uncommitted work.
 */
public final class ResumePlanner {
  private ResumePlanner() {}

  /** The split-key range a committed batch read, both ends inclusive. */
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

  /** A split-key range of one partition that no committed batch covers. */
  public static final class Gap {
    public final PartitionPlan partition;
    public final long from;
    public final long to;

    Gap(PartitionPlan partition, long from, long to) {
      this.partition = partition;
      this.from = from;
      this.to = to;
    }
  }

  /** Each partition's key range minus the committed batches' intervals, in key order. */
  public static List<Gap> gaps(LoadPlan plan, List<Covered> committed) {
    List<Gap> gaps = new ArrayList<>();
    for (PartitionPlan p : plan.partitions()) {
      List<Covered> mine = new ArrayList<>();
      committed.stream().filter(c -> c.partitionId == p.partitionId()).forEach(mine::add);
      mine.sort(Comparator.comparingLong(c -> c.first));
      long cursor = p.keyFrom();
      for (Covered c : mine) {
        if (c.first > cursor) {
          gaps.add(new Gap(p, cursor, c.first));
        }
        cursor = Math.max(cursor, c.last + 1);
      }
      if (cursor < p.keyTo()) {
        gaps.add(new Gap(p, cursor, p.keyTo()));
      }
    }
    return gaps;
  }

  public static List<ReadUnit> remainingUnits(
      long runId, LoadPlan plan, List<Covered> committed, long rowsLeft, int workers) {
    return units(runId, plan, gaps(plan, committed), rowsLeft, workers);
  }

  /** Read units over {@code gaps}, with {@code rowsLeft} spread over them by width. */
  public static List<ReadUnit> units(
      long runId, LoadPlan plan, List<Gap> gaps, long rowsLeft, int workers) {
    List<ReadUnit> out = new ArrayList<>();
    long totalWidth = 0;
    for (Gap g : gaps) {
      totalWidth += Math.max(1, g.to - g.from);
    }
    int targetUnits = Math.max(1, workers) * 4;
    for (Gap g : gaps) {
      PartitionPlan owner = g.partition;
      long estimate =
          totalWidth == 0
              ? 0
              : Math.max(
                  1, Math.round((double) rowsLeft * Math.max(1, g.to - g.from) / totalWidth));
      PartitionPlan gap =
          PartitionPlan.of(
              owner.partitionId(),
              owner.description(),
              owner.predicateValue(),
              g.from,
              g.to,
              estimate);
      out.addAll(
          UnitSplitter.split(
              runId,
              plan.definition().name(),
              gap,
              Math.max(1, rowsLeft),
              targetUnits,
              plan.definition().batchSize()));
    }
    return out;
  }
}

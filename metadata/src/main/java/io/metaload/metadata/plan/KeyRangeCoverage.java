package io.metaload.metadata.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How the key ranges of a partition's committed batches cover its planned range {@code [keyFrom,
 * keyTo)}: the overlaps (ranges loaded twice, always an error) and the gaps (ranges no batch read,
 * which must hold no rows). Batches record the whole range they read, empty stretches included, so
 * on the runners metaload uses there are no gaps at all; this is what makes validation exact on a
 * source that changes while it is read.
 */
public final class KeyRangeCoverage {
  private final List<long[]> gaps;
  private final List<long[]> overlaps;

  private KeyRangeCoverage(List<long[]> gaps, List<long[]> overlaps) {
    this.gaps = gaps;
    this.overlaps = overlaps;
  }

  /** The coverage of {@code partition} by batch ranges {@code [first, last]} (both inclusive). */
  public static KeyRangeCoverage of(PartitionPlan partition, List<long[]> ranges) {
    List<long[]> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong((long[] r) -> r[0]).thenComparingLong(r -> r[1]));
    List<long[]> gaps = new ArrayList<>();
    List<long[]> overlaps = new ArrayList<>();
    long end = Math.max(partition.keyFrom(), partition.keyTo());
    long cursor = partition.keyFrom();
    for (long[] r : sorted) {
      if (r[0] > cursor) {
        gaps.add(new long[] {cursor, Math.min(r[0], end) - 1});
      } else if (r[0] < cursor) {
        overlaps.add(new long[] {r[0], Math.min(cursor - 1, r[1])});
      }
      cursor = Math.max(cursor, r[1] + 1);
    }
    if (cursor < end) {
      gaps.add(new long[] {cursor, end - 1});
    } else if (cursor > end) {
      overlaps.add(new long[] {end, cursor - 1});
    }
    gaps.removeIf(g -> g[1] < g[0]);
    return new KeyRangeCoverage(gaps, overlaps);
  }

  /** Ranges no batch read, {@code [first, last]}. */
  public List<long[]> gaps() {
    return gaps;
  }

  /** Ranges more than one batch read, or read outside the partition, {@code [first, last]}. */
  public List<long[]> overlaps() {
    return overlaps;
  }

  /** "keys 5 to 9, keys 20 to 20 and 3 more" for messages. */
  public static String describe(List<long[]> ranges) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < ranges.size() && i < 5; i++) {
      parts.add("keys " + ranges.get(i)[0] + " to " + ranges.get(i)[1]);
    }
    return String.join(", ", parts)
        + (ranges.size() > 5 ? " and " + (ranges.size() - 5) + " more" : "");
  }
}

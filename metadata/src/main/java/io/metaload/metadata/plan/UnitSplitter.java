package io.metaload.metadata.plan;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts partitions into read units: each partition gets a share of {@code targetUnits}
 * proportional to its rows (at least one, and no unit smaller than one batch), and its
 * split-key range is divided evenly. Arithmetic is overflow-safe for any long range.
 */
public final class UnitSplitter {
  private UnitSplitter() {}

  /** Units for one partition. */
  public static List<ReadUnit> split(long runId, String load, PartitionPlan p, long totalRows, int targetUnits, int batchSize) {
    long rows = p.sourceRows();
    if (rows == 0 || p.keyTo() <= p.keyFrom()) {
      return List.of(ReadUnit.of(runId, load, p.partitionId(), 0, p.predicateValue(), p.keyFrom(), Math.max(p.keyFrom(), p.keyTo()), rows));
    }
    long share = totalRows == 0 ? 1 : Math.max(1, Math.round((double) targetUnits * rows / totalRows));
    long byBatch = Math.max(1, rows / Math.max(1, batchSize));
    BigInteger from = BigInteger.valueOf(p.keyFrom());
    BigInteger width = BigInteger.valueOf(p.keyTo()).subtract(from);
    long span = width.min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
    int units = (int) Math.max(1, Math.min(Math.min(share, byBatch), span));
    List<ReadUnit> out = new ArrayList<>(units);
    long start = p.keyFrom();
    for (int i = 0; i < units; i++) {
      long end = i == units - 1
          ? p.keyTo()
          : from.add(width.multiply(BigInteger.valueOf(i + 1)).divide(BigInteger.valueOf(units))).longValueExact();
      out.add(ReadUnit.of(runId, load, p.partitionId(), i, p.predicateValue(), start, end, Math.max(1, rows / units)));
      start = end;
    }
    return out;
  }
}

package io.metaload.metadata.plan;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts partitions into read units: each partition gets a share of {@code targetUnits} proportional
 * to its rows (at least one, and no unit smaller than one batch). Where the plan found the
 * partition's quantiles, units are cut at them so each holds about the same rows however skewed the
 * keys; otherwise the split-key range is divided evenly. Arithmetic is overflow-safe for any long
 * range.
 */
public final class UnitSplitter {
  private UnitSplitter() {}

  /** Units for one partition. */
  public static List<ReadUnit> split(
      long runId, String load, PartitionPlan p, long totalRows, int targetUnits, int batchSize) {
    long rows = p.sourceRows();
    if (rows == 0 || p.keyTo() <= p.keyFrom()) {
      return List.of(
          ReadUnit.of(
              runId,
              load,
              p.partitionId(),
              0,
              p.predicateValue(),
              p.keyFrom(),
              Math.max(p.keyFrom(), p.keyTo()),
              rows));
    }
    long share =
        totalRows == 0 ? 1 : Math.max(1, Math.round((double) targetUnits * rows / totalRows));
    long byBatch = Math.max(1, rows / Math.max(1, batchSize));
    BigInteger from = BigInteger.valueOf(p.keyFrom());
    BigInteger width = BigInteger.valueOf(p.keyTo()).subtract(from);
    long span = width.min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
    int units = (int) Math.max(1, Math.min(Math.min(share, byBatch), span));
    if (!p.quantiles().isEmpty() && units > 1) {
      return byQuantiles(runId, load, p, units);
    }
    List<ReadUnit> out = new ArrayList<>(units);
    long start = p.keyFrom();
    for (int i = 0; i < units; i++) {
      long end =
          i == units - 1
              ? p.keyTo()
              : from.add(
                      width.multiply(BigInteger.valueOf(i + 1)).divide(BigInteger.valueOf(units)))
                  .longValueExact();
      out.add(
          ReadUnit.of(
              runId,
              load,
              p.partitionId(),
              i,
              p.predicateValue(),
              start,
              end,
              Math.max(1, rows / units)));
      start = end;
    }
    return out;
  }

  /** Units of about {@code rows / units} rows each, cut at the partition's quantiles. */
  private static List<ReadUnit> byQuantiles(long runId, String load, PartitionPlan p, int units) {
    List<Long> q = p.quantiles();
    int slices = q.size() + 1;
    List<ReadUnit> out = new ArrayList<>(units);
    long start = p.keyFrom();
    int sliceStart = 0;
    for (int i = 1; i <= units; i++) {
      int sliceEnd = i == units ? slices : (int) Math.round((double) i * slices / units);
      long end = i == units ? p.keyTo() : q.get(Math.max(0, sliceEnd - 1));
      if (end <= start || end >= p.keyTo()) {
        if (i != units) {
          continue;
        }
        end = p.keyTo();
      }
      long rows =
          Math.max(1, Math.round((double) p.sourceRows() * (sliceEnd - sliceStart) / slices));
      out.add(
          ReadUnit.of(
              runId, load, p.partitionId(), out.size(), p.predicateValue(), start, end, rows));
      start = end;
      sliceStart = sliceEnd;
    }
    return out;
  }
}

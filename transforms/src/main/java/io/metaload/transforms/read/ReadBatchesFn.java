package io.metaload.transforms.read;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.fault.PausePoints;
import io.metaload.metadata.plan.ReadUnit;
import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.retry.TransientRetry;
import java.sql.SQLException;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;

/**
 * Splittable DoFn that reads a {@link ReadUnit} in keyset batches. The restriction is the unit's
 * split-key range as positions. Each batch is read first and then claimed key by key: rows are
 * emitted only up to the last key whose claim succeeded, so a split at any position, inside a batch
 * or between batches, leaves every row to exactly one of primary and residual.
 *
 * <p>When the split key is not unique, a full batch gives back its trailing rows with the last key
 * (they are read again with the next batch), so no key's rows are ever divided between two batches;
 * a batch that holds a single key reads all rows of that key.
 *
 * <p>Each batch stands for the key range it read, {@code [firstKey, lastKey]}: from where its query
 * started to where the next batch starts (a full batch) or to its last row. The empty rest of a
 * restriction is claimed and emitted as a batch without rows. A checkpoint splits right after the
 * last claimed position, so the batches of a restriction and of its residuals tile the unit's
 * range; a split at another point can leave a gap that held no rows, which finalize verifies
 * against the source.
 */
@DoFn.BoundedPerElement
public final class ReadBatchesFn extends DoFn<ReadUnit, RowBatch> {
  private static final long serialVersionUID = 1L;

  private final SourceSpec spec;
  private transient BatchSource reader;
  private final Counter rowsRead = Metrics.counter(ReadBatchesFn.class, "rowsRead");
  private final Counter batchesRead = Metrics.counter(ReadBatchesFn.class, "batchesRead");

  public ReadBatchesFn(SourceSpec spec) {
    this.spec = spec;
  }

  @GetInitialRestriction
  public OffsetRange initialRestriction(@Element ReadUnit unit) {
    return new OffsetRange(unit.keyFrom(), unit.keyTo());
  }

  @SplitRestriction
  public void splitRestriction(@Restriction OffsetRange range, OutputReceiver<OffsetRange> out) {
    out.output(range);
  }

  @NewTracker
  public OffsetRangeTracker newTracker(@Restriction OffsetRange range) {
    return new OffsetRangeTracker(range);
  }

  @GetSize
  public double size(@Element ReadUnit unit, @Restriction OffsetRange range) {
    double unitSpan = (double) unit.keyTo() - (double) unit.keyFrom();
    if (unitSpan <= 0) {
      return 0;
    }
    return unit.estimatedRows() * (((double) range.getTo() - (double) range.getFrom()) / unitSpan);
  }

  @ProcessElement
  public void process(
      @Element ReadUnit unit,
      RestrictionTracker<OffsetRange, Long> tracker,
      OutputReceiver<RowBatch> out) {
    try {
      if (spec.keyBoundaries() != null) {
        readSubRanges(unit, tracker, out);
        return;
      }
      long position = tracker.currentRestriction().getFrom();
      while (true) {
        long end = tracker.currentRestriction().getTo();
        long started = System.currentTimeMillis();
        TransientRetry retry = new TransientRetry(spec.retry());
        final long from = position;
        String what =
            "reading "
                + spec.table()
                + " keys from "
                + from
                + " (run "
                + unit.runId()
                + ", partition "
                + unit.partitionId()
                + ")";
        FetchedBatch rows =
            from < end
                ? retry.run(
                    what,
                    () -> reader().readRange(unit.predicateValue(), from, end),
                    this::discardReader)
                : null;
        if (rows == null || rows.size() == 0) {
          coverEmptyRest(unit, from, tracker, started, out);
          return;
        }
        boolean full = rows.size() >= spec.batchSize();
        long next = rows.position(rows.size() - 1) + 1;
        if (full && !spec.uniqueSplitKey()) {
          long last = next - 1;
          int group = rows.size();
          while (group > 0 && rows.position(group - 1) == last) {
            group--;
          }
          if (group > 0) {
            rows = rows.prefix(group);
            next = rows.position(group - 1) + 1;
          } else {
            rows =
                retry.run(
                    what, () -> reader().readKey(unit.predicateValue(), last), this::discardReader);
          }
        }
        int claimed = claimPrefix(rows, tracker);
        if (claimed > 0) {
          long rangeTo = claimed == rows.size() && full ? next : rows.position(claimed - 1) + 1;
          PausePoints.reach("batch-read", from + " " + rangeTo);
          out.output(
              rows.prefix(claimed).toRowBatch(unit, from, rangeTo, started, retry.retries()));
          rowsRead.inc(claimed);
          batchesRead.inc();
        }
        if (claimed < rows.size()) {
          return;
        }
        if (!full) {
          coverEmptyRest(unit, rows.position(rows.size() - 1) + 1, tracker, started, out);
          return;
        }
        position = next;
      }
    } catch (SQLException e) {
      discardReader();
      throw SqlErrors.wrap(
              "reading "
                  + spec.table()
                  + " from "
                  + spec.connection().describe()
                  + " (run "
                  + unit.runId()
                  + ", partition "
                  + unit.partitionId()
                  + ", keys from "
                  + tracker.currentRestriction().getFrom()
                  + ")",
              e,
              ExitCode.LOAD_FAILED)
          .withRun(unit.runId())
          .withLoad(unit.loadName())
          .withPartition(unit.partitionId());
    }
  }

  /**
   * An ordinal key: each position is one of the plan's key sub-ranges, read whole as one batch
   * (about {@code batchSize} rows, exactly so where the source is read in the planning snapshot)
   * and then claimed; a sub-range without rows is recorded as an empty batch.
   */
  private void readSubRanges(
      ReadUnit unit, RestrictionTracker<OffsetRange, Long> tracker, OutputReceiver<RowBatch> out)
      throws SQLException {
    for (long position = tracker.currentRestriction().getFrom();
        position < tracker.currentRestriction().getTo();
        position++) {
      long started = System.currentTimeMillis();
      TransientRetry retry = new TransientRetry(spec.retry());
      final long at = position;
      String what =
          "reading "
              + spec.table()
              + " key sub-range "
              + at
              + " (run "
              + unit.runId()
              + ", partition "
              + unit.partitionId()
              + ")";
      FetchedBatch rows =
          retry.run(
              what,
              () -> reader().readSubRange(unit.predicateValue(), unit.partitionId(), at),
              this::discardReader);
      if (!tracker.tryClaim(at)) {
        return;
      }
      PausePoints.reach("batch-read", at + " " + (at + 1));
      if (rows.size() == 0) {
        out.output(
            RowBatch.emptyRange(
                unit.runId(), unit.loadName(), unit.partitionId(), at, at + 1, started));
      } else {
        out.output(rows.toRowBatch(unit, at, at + 1, started, retry.retries()));
        rowsRead.inc(rows.size());
      }
      batchesRead.inc();
    }
  }

  /**
   * Finishes the restriction from {@code from}, a position from which the last read found no more
   * rows. The rest of the range is claimed through its last position and emitted as a batch without
   * rows, so the ledger records that it was read and held nothing. If a split took the rest first,
   * the residual's own batches cover it (output after a failed claim is not allowed).
   */
  private static void coverEmptyRest(
      ReadUnit unit,
      long from,
      RestrictionTracker<OffsetRange, Long> tracker,
      long started,
      OutputReceiver<RowBatch> out) {
    long end = tracker.currentRestriction().getTo();
    if (from < end && tracker.tryClaim(end - 1)) {
      out.output(
          RowBatch.emptyRange(
              unit.runId(), unit.loadName(), unit.partitionId(), from, end, started));
    }
    tracker.tryClaim(end);
  }

  /** Claims each distinct key in order; returns how many leading rows are covered by claims. */
  private static int claimPrefix(FetchedBatch rows, RestrictionTracker<OffsetRange, Long> tracker) {
    long claimedKey = 0;
    for (int i = 0; i < rows.size(); i++) {
      long key = rows.position(i);
      if (i == 0 || key != claimedKey) {
        if (!tracker.tryClaim(key)) {
          return i;
        }
        claimedKey = key;
      }
    }
    return rows.size();
  }

  private BatchSource reader() throws SQLException {
    if (reader == null) {
      reader = BatchSource.open(spec);
    }
    return reader;
  }

  private void discardReader() {
    if (reader != null) {
      try {
        reader.close();
      } catch (SQLException ignored) {
        // The connection is already unusable; the original failure is what matters.
      }
      reader = null;
    }
  }

  @Teardown
  public void teardown() throws SQLException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}

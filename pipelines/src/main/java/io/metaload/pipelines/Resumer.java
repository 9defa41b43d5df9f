package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.plan.CoarserOnTimeout;
import io.metaload.metadata.plan.PartitionPlan;
import io.metaload.metadata.plan.RangeCounter;
import io.metaload.metadata.plan.ReadUnit;
import io.metaload.metadata.plan.ResumePlanner;
import io.metaload.metadata.plan.SourceSnapshot;
import io.metaload.metadata.plan.split.HeapOrder;
import io.metaload.metadata.store.BatchProtocol;
import io.metaload.metadata.store.BatchRecord;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunContext;
import io.metaload.metadata.store.RunRepository;
import io.metaload.transforms.target.Target;
import io.metaload.transforms.target.TargetKinds;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.annotation.Nullable;

/**
 * Prepares the next attempt of an unfinished run from what the target says happened, whatever phase
 * the last attempt stopped in:
 *
 * <ul>
 *   <li>the target records the run's publication: it happened (or began), so nothing is read and
 *       finalize completes it;
 *   <li>no ledger: preparation never finished and no batch committed, so staging is prepared again
 *       and every range is read;
 *   <li>otherwise the ledger, written in the same transaction as each batch's rows, is the truth
 *       about what is committed: the protocol is brought in line with it, and only the split-key
 *       ranges no committed batch covers are read.
 * </ul>
 *
 * Only an attempt that reads exports a new source snapshot (PostgreSQL); the ranges still to read
 * are counted again in it, and validation expects the committed rows plus those counts. A run read
 * in heap-page order ({@link HeapOrder}) whose table was written or rewritten since it planned
 * reads everything again, since its rows may have moved between pages.
 */
final class Resumer {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Resumer.class);
  private final MetadataStore store;

  Resumer(MetadataStore store) {
    this.store = store;
  }

  RunAttempt prepare(
      RunContext run,
      ConnectionSpec source,
      ConnectionSpec target,
      int previousAttempt,
      int workers,
      Supplier<SourceSnapshot> exportSnapshot) {
    try {
      return prepareAttempt(run, source, target, previousAttempt, workers, exportSnapshot);
    } catch (MetaloadException e) {
      throw e.withRun(run.runId()).withLoad(run.loadName());
    }
  }

  private RunAttempt prepareAttempt(
      RunContext run,
      ConnectionSpec source,
      ConnectionSpec target,
      int previousAttempt,
      int workers,
      Supplier<SourceSnapshot> exportSnapshot) {
    RunRepository runs = store.runs();
    int attempt = previousAttempt + 1;
    Target into = TargetKinds.target(target);
    if (into.publicationState(run.plan().target(), run.runUid()) != Target.PublicationState.NONE) {
      long batches = store.batches().batchIds(run.runId()).size();
      long rows =
          store.batches().rowsWrittenByPartition(run.runId()).values().stream()
              .mapToLong(Long::longValue)
              .sum();
      runs.startAttempt(run.runId(), attempt, batches, rows);
      return RunAttempt.of(run, attempt, List.of(), rows, null);
    }
    boolean prepared = into.isPrepared(run);
    SourceSnapshot heapSnapshot =
        prepared && run.plan().heapOrder() != null ? exportSnapshot.get() : null;
    if (heapSnapshot != null && pagesMoved(run, source, heapSnapshot)) {
      into.discardStaged(run);
      prepared = false;
    }
    if (!prepared) {
      store.batches().deleteBatches(run.runId(), store.batches().batchIds(run.runId()));
      into.prepare(run);
      SourceSnapshot snapshot = heapSnapshot != null ? heapSnapshot : exportSnapshot.get();
      List<ResumePlanner.Gap> all = ResumePlanner.gaps(run.plan(), List.of());
      long rows =
          snapshot == null
              ? run.plan().sourceRows()
              : recount(run, source, snapshot, all, Map.of());
      runs.startAttempt(run.runId(), attempt, 0, 0);
      return RunAttempt.of(
          run,
          attempt,
          ResumePlanner.units(run.runId(), run.plan(), all, rows, workers),
          0,
          idOf(snapshot));
    }
    List<BatchRecord> committed = into.committedBatches(run, previousAttempt);
    Set<String> recorded = store.batches().batchIds(run.runId());
    List<BatchRecord> missing = new ArrayList<>();
    Set<String> inLedger = new HashSet<>();
    Map<Integer, Long> carriedByPartition = new LinkedHashMap<>();
    long carriedRows = 0;
    List<ResumePlanner.Covered> covered = new ArrayList<>();
    for (BatchRecord b : committed) {
      inLedger.add(b.batchId());
      carriedRows += b.rowsWritten();
      carriedByPartition.merge(b.partitionId(), b.rowsRead(), Long::sum);
      covered.add(new ResumePlanner.Covered(b.partitionId(), b.keyFirst(), b.keyLast()));
      if (!recorded.contains(b.batchId())) {
        missing.add(b);
      }
    }
    try (Connection c = store.connection()) {
      if (!missing.isEmpty()) {
        BatchProtocol.recordBatches(c, missing);
      }
      List<String> orphans = new ArrayList<>(recorded);
      orphans.removeAll(inLedger);
      store.batches().deleteBatches(run.runId(), orphans);
    } catch (SQLException e) {
      throw SqlErrors.wrap(
              "reconciling the protocol of run " + run.runId() + " with its ledger",
              e,
              ExitCode.LOAD_FAILED)
          .withRun(run.runId());
    }
    List<ResumePlanner.Gap> gaps = ResumePlanner.gaps(run.plan(), covered);
    SourceSnapshot snapshot = heapSnapshot != null ? heapSnapshot : exportSnapshot.get();
    long rowsLeft =
        snapshot == null
            ? Math.max(0, run.plan().sourceRows() - carriedRows)
            : recount(run, source, snapshot, gaps, carriedByPartition);
    List<ReadUnit> units = ResumePlanner.units(run.runId(), run.plan(), gaps, rowsLeft, workers);
    runs.startAttempt(run.runId(), attempt, committed.size(), carriedRows);
    return RunAttempt.of(run, attempt, units, carriedRows, idOf(snapshot));
  }

  /**
   * True when a heap-ordered run's remaining pages cannot be read as the rest of its first snapshot
   * ({@link HeapOrder#changeSince}), or when the source stops that check for running past its
   * {@code queryTimeout}: then the run starts its read again, and says why.
   */
  private static boolean pagesMoved(
      RunContext run, ConnectionSpec source, SourceSnapshot snapshot) {
    Dialect dialect = Dialect.forUrl(source.url());
    try {
      List<String> warnings = new ArrayList<>();
      Optional<String> change =
          CoarserOnTimeout.run(
              snapshot.connection(),
              "the check whether rows of "
                  + run.plan().source()
                  + " were written since run "
                  + run.runId()
                  + " planned",
              "the run cannot keep the rows it committed",
              () -> run.plan().heapOrder().changeSince(snapshot.connection(), dialect),
              () -> Optional.of("whether its rows moved between pages is unknown"),
              warnings);
      warnings.forEach(LOG::warn);
      change.ifPresent(
          why ->
              LOG.warn(
                  "run {}: reading {} again from the start: it is read in heap-page order and {}; the rows "
                      + "committed so far are discarded",
                  run.runId(),
                  run.plan().source(),
                  why));
      return change.isPresent();
    } catch (SQLException e) {
      throw SqlErrors.wrap(
              "checking whether source table "
                  + run.plan().source()
                  + " changed since run "
                  + run.runId()
                  + " planned",
              e,
              ExitCode.LOAD_FAILED)
          .withRun(run.runId())
          .withLoad(run.loadName());
    }
  }

  @Nullable
  private static String idOf(@Nullable SourceSnapshot snapshot) {
    return snapshot == null ? null : snapshot.id();
  }

  /**
   * Counts the rows of each gap in the new snapshot and records, per partition, the source rows the
   * committed batches read plus those as what validation expects (rows read, not written, so that
   * rows lost between reading and writing still fail validation); returns the rows left to read. A
   * partition whose count the source stopped at plan time is not counted again (the count would be
   * stopped again, and validation does not compare it): its rows left are its estimate less the
   * rows carried over.
   */
  private long recount(
      RunContext run,
      ConnectionSpec source,
      SourceSnapshot snapshot,
      List<ResumePlanner.Gap> gaps,
      Map<Integer, Long> carriedByPartition) {
    Map<Integer, Long> expected = new LinkedHashMap<>();
    for (PartitionPlan p : run.plan().partitions()) {
      expected.put(p.partitionId(), carriedByPartition.getOrDefault(p.partitionId(), 0L));
    }
    long left = 0;
    Set<Integer> estimated = new HashSet<>();
    try (RangeCounter counter =
        new RangeCounter(snapshot.connection(), Dialect.forUrl(source.url()), run.plan())) {
      for (ResumePlanner.Gap g : gaps) {
        if (g.partition.rowsEstimated()) {
          if (estimated.add(g.partition.partitionId())) {
            left +=
                Math.max(
                    0,
                    g.partition.sourceRows()
                        - carriedByPartition.getOrDefault(g.partition.partitionId(), 0L));
          }
          continue;
        }
        long rows = counter.count(g.partition, g.from, g.to);
        expected.merge(g.partition.partitionId(), rows, Long::sum);
        left += rows;
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap(
              "counting the ranges run "
                  + run.runId()
                  + " has still to read in source "
                  + source.describe(),
              e,
              ExitCode.LOAD_FAILED)
          .withRun(run.runId())
          .withLoad(run.loadName());
    }
    store.runs().setExpectedRows(run.runId(), expected);
    return left;
  }
}

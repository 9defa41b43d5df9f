package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.Connections;
import io.metaload.metadata.contract.ContractDefinition;
import io.metaload.metadata.contract.StagingChecks;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.plan.KeyRangeCoverage;
import io.metaload.metadata.plan.PartitionPlan;
import io.metaload.metadata.plan.RangeCounter;
import io.metaload.metadata.plan.SourceSnapshot;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunContext;
import io.metaload.metadata.store.RunStatus;
import io.metaload.transforms.target.RunPublication;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks a run passes before it may publish, each recorded in {@code load_validation}: every
 * partition's batches tile its key range (a gap holding rows fails it), a source read in one
 * snapshot yields exactly the rows it held, every rejected row is recorded, staging holds the
 * protocol's total, rejects stay within the load's limit, and the load's contract holds on staging.
 * A failed check is a {@link ExitCode#VALIDATION_MISMATCH} naming the partition and both values.
 */
final class RunValidation {
  private static final Logger LOG = LoggerFactory.getLogger(RunValidation.class);

  private final MetadataStore store;

  RunValidation(MetadataStore store) {
    this.store = store;
  }

  /**
   * Checks every partition: its batches' key ranges tile its planned range, and where the source
   * was read in one snapshot (PostgreSQL) and its rows were counted (not estimated after a count
   * past the source's time limit), the rows written equal the rows the snapshot holds; then that
   * staging holds the protocol's total. Elsewhere the source may change while it is read, so the
   * rows of each range are what the range held when its batch read it, and the tiling is what
   * proves that nothing was lost or loaded twice.
   */
  long validate(RunContext run, long staged, ConnectionSpec source) {
    Map<Integer, Long> written = store.batches().rowsWrittenByPartition(run.runId());
    Map<Integer, Long> read = store.batches().rowsReadByPartition(run.runId());
    Map<Integer, Long> rejected = store.batches().rowsRejectedByPartition(run.runId());
    Map<Integer, Long> rejectRows = store.batches().rejectRowsByPartition(run.runId());
    Map<Integer, Long> expected = store.runs().expectedRowsByPartition(run.runId());
    Map<Integer, List<long[]>> ranges = store.batches().batchRangesByPartition(run.runId());
    List<String> mismatches = new ArrayList<>();
    List<Integer> failedPartitions = new ArrayList<>();
    long total = 0;
    for (PartitionPlan p : run.plan().partitions()) {
      long actual = written.getOrDefault(p.partitionId(), 0L);
      total += actual;
      List<String> coverage =
          coverageProblems(run, source, p, ranges.getOrDefault(p.partitionId(), List.of()));
      store
          .validations()
          .recordValidation(
              run.runId(), p.partitionId(), "key_ranges_tile_partition", 0, coverage.size());
      if (!coverage.isEmpty()) {
        mismatches.add(
            "partition "
                + p.partitionId()
                + " ("
                + p.description()
                + "): "
                + String.join(", ", coverage));
        failedPartitions.add(p.partitionId());
      }
      long rowsRead = read.getOrDefault(p.partitionId(), 0L);
      if (SourceSnapshot.supported(source) && !p.rowsEstimated()) {
        long sourceRows = expected.getOrDefault(p.partitionId(), p.sourceRows());
        store
            .validations()
            .recordValidation(
                run.runId(), p.partitionId(), "source_rows_equal_rows_read", sourceRows, rowsRead);
        if (rowsRead != sourceRows) {
          mismatches.add(
              "partition "
                  + p.partitionId()
                  + " ("
                  + p.description()
                  + "): source has "
                  + sourceRows
                  + " rows, "
                  + rowsRead
                  + " were read");
          failedPartitions.add(p.partitionId());
        }
      }
      long rejects = rejected.getOrDefault(p.partitionId(), 0L);
      if (rejects > 0 || rejectRows.containsKey(p.partitionId())) {
        long recorded = rejectRows.getOrDefault(p.partitionId(), 0L);
        store
            .validations()
            .recordValidation(
                run.runId(), p.partitionId(), "rejected_rows_recorded", rejects, recorded);
        if (recorded != rejects) {
          mismatches.add(
              "partition "
                  + p.partitionId()
                  + " ("
                  + p.description()
                  + "): "
                  + rejects
                  + " rows were rejected, load_reject holds "
                  + recorded);
          failedPartitions.add(p.partitionId());
        }
      }
    }
    store
        .validations()
        .recordValidation(
            run.runId(), Finalizer.WHOLE_RUN, "staging_rows_equal_rows_written", total, staged);
    if (staged != total) {
      mismatches.add(
          "staging table "
              + run.staging()
              + " holds "
              + staged
              + " rows, the protocol says "
              + total);
    }
    for (PartitionPlan p : run.plan().partitions()) {
      boolean ok = !failedPartitions.contains(p.partitionId()) && staged == total;
      store
          .runs()
          .finishPartition(
              run.runId(),
              p.partitionId(),
              written.getOrDefault(p.partitionId(), 0L),
              ok ? RunStatus.SUCCEEDED : RunStatus.FAILED);
    }
    if (!mismatches.isEmpty()) {
      throw new MetaloadException(
              ExitCode.VALIDATION_MISMATCH,
              "validation failed, target "
                  + run.plan().target()
                  + " left untouched: "
                  + String.join("; ", mismatches))
          .withRun(run.runId())
          .withLoad(run.loadName());
    }
    checkRejectLimit(
        run,
        read.values().stream().mapToLong(Long::longValue).sum(),
        rejected.values().stream().mapToLong(Long::longValue).sum());
    return total;
  }

  /**
   * Runs the contract's quality checks on staging and records each in {@code load_validation}
   * ({@code contract <n>}: the check and its bound in {@code expected_text}, the value found in
   * {@code actual_text}); a failed check stops publication with exit 4.
   */
  void checkContract(RunContext run, RunPublication publication) {
    ContractDefinition contract = run.plan().contract();
    if (contract == null) {
      return;
    }
    List<StagingChecks.Result> results = publication.checkContract(contract);
    List<String> failed = new ArrayList<>();
    int n = 1;
    for (StagingChecks.Result r : results) {
      store
          .validations()
          .recordValidation(
              run.runId(),
              Finalizer.WHOLE_RUN,
              "contract " + n++ + ": " + r.check.text(),
              r.check.text() + " (" + r.expected + ")",
              r.actual,
              r.passed);
      if (!r.passed) {
        failed.add(r.toString());
      }
    }
    LOG.info(
        "run {}: contract version {} of load '{}': {} of {} checks passed",
        run.runId(),
        contract.version(),
        run.loadName(),
        results.size() - failed.size(),
        results.size());
    if (!failed.isEmpty()) {
      throw new MetaloadException(
              ExitCode.VALIDATION_MISMATCH,
              "the contract of load '"
                  + run.loadName()
                  + "' (version "
                  + contract.version()
                  + (contract.owner() == null ? "" : ", owner " + contract.owner())
                  + ") failed, target "
                  + run.plan().target()
                  + " left untouched: "
                  + String.join("; ", failed))
          .withRun(run.runId())
          .withLoad(run.loadName());
    }
  }

  /**
   * Fails the run before publication when it rejected more rows than its load tolerates, naming the
   * top reasons.
   */
  private void checkRejectLimit(RunContext run, long read, long rejected) {
    Optional<String> breach = run.plan().definition().rejectLimitBreach(rejected, read);
    if (rejected == 0 && run.plan().flowgraph().definition().isIdentity()) {
      return;
    }
    store
        .validations()
        .recordValidation(
            run.runId(),
            Finalizer.WHOLE_RUN,
            "rejected_rows_within_limit",
            run.plan().definition().maxRejects() == null ? 0 : run.plan().definition().maxRejects(),
            rejected,
            breach.isEmpty());
    if (breach.isPresent()) {
      throw new MetaloadException(
              ExitCode.VALIDATION_MISMATCH,
              "too many rejected rows, target "
                  + run.plan().target()
                  + " left untouched: "
                  + breach.get()
                  + "; top reasons: "
                  + String.join("; ", store.batches().topRejectReasons(run.runId(), 3))
                  + " (all in load_reject, run_id = "
                  + run.runId()
                  + ")")
          .withRun(run.runId())
          .withLoad(run.loadName());
    }
  }

  /**
   * Overlapping batch ranges, and gaps that hold rows in the source now. A gap can only come from a
   * runner splitting a restriction away from its last claimed key; a gap without rows lost nothing.
   */
  private List<String> coverageProblems(
      RunContext run, ConnectionSpec source, PartitionPlan p, List<long[]> ranges) {
    KeyRangeCoverage coverage = KeyRangeCoverage.of(p, ranges);
    List<String> problems = new ArrayList<>();
    if (!coverage.overlaps().isEmpty()) {
      problems.add(
          KeyRangeCoverage.describe(coverage.overlaps()) + " were read by more than one batch");
    }
    if (!coverage.gaps().isEmpty()) {
      try (Connection c = Connections.open(source, "source");
          RangeCounter counter = new RangeCounter(c, Dialect.forUrl(source.url()), run.plan())) {
        for (long[] gap : coverage.gaps()) {
          long rows = counter.count(p, gap[0], gap[1] + 1);
          if (rows > 0) {
            problems.add(
                KeyRangeCoverage.describe(List.of(gap))
                    + " were not read and hold "
                    + rows
                    + " rows");
          }
        }
      } catch (SQLException e) {
        throw SqlErrors.wrap(
                "counting the source rows in the key ranges partition "
                    + p.partitionId()
                    + " did not read, in "
                    + source.describe(),
                e,
                ExitCode.LOAD_FAILED)
            .withRun(run.runId())
            .withLoad(run.loadName());
      }
    }
    return problems;
  }
}

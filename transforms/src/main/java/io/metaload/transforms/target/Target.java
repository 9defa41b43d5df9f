package io.metaload.transforms.target;

import io.metaload.metadata.config.RetryPolicy;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.TargetCatalog;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.store.BatchRecord;
import io.metaload.metadata.store.RunContext;
import io.metaload.transforms.batch.RowBatch;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * What metaload asks of a target about a run outside its pipeline: where the run stands in the
 * target (prepared, which batches it holds, published or not) and how to prepare, restart or drop
 * what the run staged there. Launching, resuming and abandoning a run talk to this interface only;
 * a target of another kind implements it and registers a {@link TargetKind}.
 *
 * <p>The target owns the run's ledger: a batch the target holds is recorded beside its rows in the
 * same transaction (or atomic step), so {@link #committedBatches} is the truth a resume rebuilds
 * the protocol from. Every method may be called again after a crash and must recognise what it
 * already did.
 */
public interface Target {
  /** What planning reads of this target: its tables, their columns, the latest publications. */
  TargetCatalog catalog();

  /** Whether the run was published into {@code table} (its uid in the target's publication log). */
  PublicationState publicationState(TableRef table, String runUid);

  /**
   * Makes the target ready for the run's batches: the target table if it does not exist, the run's
   * staging and, last, its ledger. Anything a killed earlier preparation left is replaced.
   */
  void prepare(RunContext run);

  /** True when {@link #prepare} finished for the run, so that batches may have committed. */
  boolean isPrepared(RunContext run);

  /**
   * The batches the target holds for the run, as the ledger recorded them (with their rejects),
   * attributed to {@code attempt}. Fails when the ledger outlived the staged rows.
   */
  List<BatchRecord> committedBatches(RunContext run, int attempt);

  /**
   * Per partition, the batches the target holds for the run now and the rows they wrote and read
   * ({@code {batches, written, read}}); empty when the run has no ledger (not prepared yet, or
   * cleaned up after publishing). Progress and status count from this, as every worker commits
   * here.
   */
  Optional<Map<Integer, long[]>> committedByPartition(RunContext run);

  /**
   * The pipeline's write for one attempt of the run: commits each batch to what the run staged,
   * with its ledger entry in the same atomic step, so that a batch written again after a retry or a
   * resume replaces itself; emits one {@link BatchRecord} per committed batch.
   */
  PTransform<PCollection<RowBatch>, PCollection<BatchRecord>> write(
      RunContext run, int attempt, RetryPolicy retry);

  /**
   * Why this target cannot take the plan's source rows as binary COPY tuples without decoding them;
   * empty when it can.
   */
  Optional<String> whyNoCopyPassThrough(LoadPlan plan, Dialect source);

  /**
   * Opens the run's publication: validation's view of what it staged, the key build, the fenced
   * publication and the clean-up after it.
   */
  RunPublication publication(RunContext run, PublicationSettings settings);

  /** Forgets the run's staged batches, so that preparing again starts the run's read over. */
  void discardStaged(RunContext run);

  /** Drops what a run left in the target (staging, ledger), each only if it is there. */
  void drop(List<TableRef> leftovers, long runId);

  /** Where a run's publication stands in its target. */
  enum PublicationState {
    /** Nothing of the run is published. */
    NONE,
    /** The publication committed its first step; completing it publishes the rest. */
    STARTED,
    /** The run's rows are published. */
    PUBLISHED
  }
}

package io.metaload.transforms.target;

import io.metaload.metadata.contract.ContractDefinition;
import io.metaload.metadata.contract.StagingChecks;
import io.metaload.transforms.target.Target.PublicationState;
import java.util.List;
import java.util.Optional;

/**
 * One run's publication in its target, opened once its pipeline finished: what the run staged
 * there, the checks on it, and the atomic step that makes it the target's data. The finalizer
 * validates the run against {@link #stagedRows}, then calls {@link #completeStaging} and {@link
 * #publish} (again, after a {@link TargetLockedException}), then {@link #cleanUp}. Every step may
 * be called again after a crash: each recognises from the target what it already did.
 */
public interface RunPublication extends AutoCloseable {
  /** Where the run's publication stands now. */
  PublicationState state();

  /**
   * The rows recorded with the run's publication; only once it {@link PublicationState#STARTED}.
   */
  long rowsPublished();

  /** The rows the run staged, counted in the target. */
  long stagedRows();

  /** The outcome of each of the contract's checks, run on the staged rows. */
  List<StagingChecks.Result> checkContract(ContractDefinition contract);

  /** Builds what the staged rows lack before they can be published (a key); idempotent. */
  void completeStaging();

  /**
   * Publishes the staged rows and records {@code entry} with them in one atomic step, fenced: the
   * step happens only while {@code fence} holds. Completes a publication that {@link
   * PublicationState#STARTED}; does nothing when it is already published.
   *
   * @return what the publication counted (a merge's inserted, updated and deleted rows), each to be
   *     recorded as a check of the run
   * @throws TargetLockedException when other sessions held the target longer than the settings
   *     allow; nothing was published and trying again may succeed
   */
  List<PublishedCount> publish(PublicationEntry entry, PublicationFence fence);

  /** The watermark the run published with its rows, if it published one. */
  Optional<String> publishedWatermark();

  /**
   * Removes what the run left in the target once published (staging, ledger, the retired table);
   * what cannot be removed is logged, not thrown, since the run's rows are published.
   */
  void cleanUp();

  @Override
  void close();
}

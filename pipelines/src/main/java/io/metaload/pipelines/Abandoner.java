package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunLock;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunRepository;
import io.metaload.metadata.store.RunStatus;
import io.metaload.transforms.target.Target;
import io.metaload.transforms.target.TargetKinds;
import java.util.List;
import java.util.Map;

/**
 * Gives up an unfinished run: drops its staging table and ledger from the target (the target itself
 * is never touched) and marks it ABANDONED, so the load can start afresh.
 */
public final class Abandoner {
  private final MetaloadConfig config;

  public Abandoner(MetaloadConfig config) {
    this.config = config;
  }

  public void abandon(long runId) {
    try (MetadataStore store = MetadataStore.open(config.metadata())) {
      RunRepository runs = store.runs();
      RunQueries.RunSummary summary =
          store.status().runs(runId, 1).stream()
              .findFirst()
              .orElseThrow(
                  () -> MetaloadException.badConfig("no run with id " + runId).withRun(runId));
      if (summary.status == RunStatus.SUCCEEDED || summary.status == RunStatus.ABANDONED) {
        throw MetaloadException.badConfig(
                "run "
                    + runId
                    + " is "
                    + summary.status
                    + "; only unfinished runs can be abandoned")
            .withRun(runId)
            .withLoad(summary.loadName);
      }
      RunLock lock = RunLock.acquire(store, summary.loadName, runId);
      try {
        TableRef[] staging = runs.stagingTables(runId);
        ConnectionSpec target =
            config.connection(store.definitions().get(summary.loadName).targetConnection());
        Target into = TargetKinds.target(target);
        Map.Entry<TableRef, String> published = runs.targetAndUid(runId);
        TableRef targetTable = published.getKey();
        Target.PublicationState state;
        try {
          state = into.publicationState(targetTable, published.getValue());
        } catch (MetaloadException e) {
          throw e.withRun(runId).withLoad(summary.loadName);
        }
        if (state != Target.PublicationState.NONE) {
          throw MetaloadException.badConfig(
                  "run "
                      + runId
                      + " has already been published into "
                      + targetTable
                      + " (see its publication log); complete it with 'metaload run --config "
                      + config.file()
                      + " --load "
                      + summary.loadName
                      + " --resume' instead of abandoning it")
              .withRun(runId)
              .withLoad(summary.loadName);
        }
        into.drop(List.of(staging), runId);
        runs.finishRun(
            runId,
            RunStatus.ABANDONED,
            null,
            "abandoned by an operator; staging " + staging[0] + " dropped");
      } finally {
        lock.release();
      }
    }
  }
}

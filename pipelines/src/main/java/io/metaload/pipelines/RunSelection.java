package io.metaload.pipelines;

import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.RunParameters;
import io.metaload.metadata.store.MetadataStore;
import io.metaload.metadata.store.RunQueries;
import io.metaload.metadata.store.RunStatus;
import java.util.Optional;

/**
 * Which run a load's command continues: the newest run, once a run whose process stopped is marked
 * {@code FAILED} (the caller holds the load's lock), is resumed when the command asks for it and it
 * is unfinished; a new run is refused while one is unfinished (exit 5), and a resume must name a
 * run of this load with the parameters it started with (exit 2).
 */
final class RunSelection {
  private RunSelection() {}

  /** The run to resume, or empty when the command starts a new run of {@code name}. */
  static Optional<RunQueries.RunSummary> toResume(
      MetadataStore store,
      MetaloadConfig config,
      String name,
      LoadRunner.Resume resume,
      RunParameters params) {
    Optional<RunQueries.RunSummary> latest = store.status().latestRun(name);
    latest
        .filter(r -> r.status == RunStatus.RUNNING)
        .ifPresent(
            r ->
                store
                    .runs()
                    .finishAttempt(
                        r.runId,
                        r.attempt,
                        RunStatus.FAILED,
                        null,
                        "its process stopped"
                            + (r.heartbeatAt == null
                                ? ""
                                : ": no heartbeat since " + r.heartbeatAt)));
    latest = store.status().latestRun(name);
    Optional<RunQueries.RunSummary> unfinished =
        latest.filter(r -> r.status == RunStatus.RUNNING || r.status == RunStatus.FAILED);
    if (resume.enabled && (resume.runId != null || unfinished.isPresent() || !resume.startIfNone)) {
      RunQueries.RunSummary target =
          resume.runId == null
              ? unfinished.orElseThrow(
                  () ->
                      MetaloadException.badConfig(
                              "load '" + name + "' has no unfinished run to resume")
                          .withLoad(name))
              : store.status().runs(resume.runId, 1).stream()
                  .findFirst()
                  .orElseThrow(
                      () ->
                          MetaloadException.badConfig("no run with id " + resume.runId)
                              .withRun(resume.runId));
      if (!target.loadName.equals(name)
          || !(target.status == RunStatus.RUNNING || target.status == RunStatus.FAILED)) {
        throw MetaloadException.badConfig(
                "run "
                    + target.runId
                    + " is a "
                    + target.status
                    + " run of load '"
                    + target.loadName
                    + "' and cannot be resumed as load '"
                    + name
                    + "'")
            .withRun(target.runId)
            .withLoad(name);
      }
      if (!params.isEmpty() && !params.equals(RunParameters.fromJson(target.params))) {
        throw MetaloadException.badConfig(
                "run "
                    + target.runId
                    + " of load '"
                    + name
                    + "' was started with parameters ["
                    + RunParameters.fromJson(target.params)
                    + "], not ["
                    + params
                    + "]; resume it with the same --param values, or abandon it")
            .withRun(target.runId)
            .withLoad(name);
      }
      return Optional.of(target);
    }
    if (unfinished.isPresent()) {
      long id = unfinished.get().runId;
      throw new MetaloadException(
              ExitCode.RUN_CONFLICT,
              "load '"
                  + name
                  + "' has an unfinished run "
                  + id
                  + " ("
                  + RunStatus.FAILED
                  + "); resume it with 'metaload run --config "
                  + config.file()
                  + " --load "
                  + name
                  + " --resume' or abandon it with "
                  + "'metaload abandon --config "
                  + config.file()
                  + " --run "
                  + id
                  + "'")
          .withRun(id)
          .withLoad(name);
    }
    return Optional.empty();
  }
}

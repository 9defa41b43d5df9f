package io.metaload.pipelines;

import io.metaload.metadata.error.MetaloadException;
import java.util.List;
import java.util.stream.Collectors;

/** One failure that reports every run that failed in a command, not only the first. */
final class MultipleFailures {
  private MultipleFailures() {}

  static MetaloadException of(List<MetaloadException> failures, int runs) {
    String message =
        failures.size()
            + " of "
            + runs
            + " runs failed: "
            + failures.stream()
                .map(
                    f ->
                        "[run "
                            + f.context().get("run")
                            + ", load "
                            + f.context().get("load")
                            + "] "
                            + f.getMessage())
                .collect(Collectors.joining(" | "));
    MetaloadException out =
        new MetaloadException(failures.get(0).exitCode(), message, failures.get(0));
    failures.forEach(out::alsoFailed);
    return out;
  }
}

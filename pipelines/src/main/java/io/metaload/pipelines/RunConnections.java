package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.store.RunContext;

/** The connections a run reads from and writes to, as the command's config defines them now. */
final class RunConnections {
  private RunConnections() {}

  static ConnectionSpec source(MetaloadConfig config, RunContext run) {
    return config.connection(run.plan().definition().sourceConnection());
  }

  static ConnectionSpec target(MetaloadConfig config, RunContext run) {
    return config.connection(run.plan().definition().targetConnection());
  }
}

package io.metaload.testing.target;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.transforms.target.Target;
import io.metaload.transforms.target.TargetKind;

/**
 * A target kind that lives only in the tests, registered by a services file and touching no main
 * code: the kind {@code jsonl} writes a table as JSON lines under the directory of a {@code file:}
 * URL. It proves that a target that is no database plugs in through the target interface alone.
 */
public final class JsonLinesTargetKind implements TargetKind {
  @Override
  public String name() {
    return "jsonl";
  }

  @Override
  public Target target(ConnectionSpec connection) {
    return new JsonLinesTarget(JsonLinesFiles.root(connection));
  }
}

package io.metaload.transforms.write;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.transforms.target.Target;
import io.metaload.transforms.target.TargetKind;

/** The relational databases (PostgreSQL, MariaDB, H2, any registered dialect) as a target kind. */
public final class JdbcTargetKind implements TargetKind {
  @Override
  public String name() {
    return ConnectionSpec.JDBC;
  }

  @Override
  public Target target(ConnectionSpec connection) {
    return new JdbcTarget(connection);
  }
}

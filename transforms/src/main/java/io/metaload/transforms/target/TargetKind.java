package io.metaload.transforms.target;

import io.metaload.metadata.config.ConnectionSpec;

/**
 * A kind of target metaload loads into, found through {@code java.util.ServiceLoader}: registered
 * in {@code META-INF/services/io.metaload.transforms.target.TargetKind}, it serves the connections
 * whose {@code kind} is its {@link #name()}. The relational databases are the kind {@code jdbc}.
 *
 * <pre>{@code
 * public final class LakeTargetKind implements TargetKind {
 *   public String name() { return "lake"; }
 *   public Target target(ConnectionSpec connection) { return new LakeTarget(connection); }
 * }
 * }</pre>
 */
public interface TargetKind {
  /** The name a connection's {@code kind} gives. */
  String name();

  /** The target {@code connection} reaches. */
  Target target(ConnectionSpec connection);
}

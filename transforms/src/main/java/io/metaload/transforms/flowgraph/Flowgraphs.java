package io.metaload.transforms.flowgraph;

import io.metaload.metadata.error.MetaloadException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The flowgraphs a load definition can name.
 *
 * <pre>{@code
 * PCollectionTuple out = batches.apply(Flowgraphs.named(definition.flowgraph()));
 * }</pre>
 */
public final class Flowgraphs {
  private static final Map<String, Supplier<Flowgraph>> REGISTRY = new TreeMap<>(Map.of("identity", IdentityFlowgraph::new));

  private Flowgraphs() {}

  /** The flowgraph of that name, or a bad-config error listing the known names. */
  public static Flowgraph named(String name) {
    Supplier<Flowgraph> factory = REGISTRY.get(name);
    if (factory == null) {
      throw MetaloadException.badConfig("unknown flowgraph '" + name + "' (known: " + REGISTRY.keySet() + ")");
    }
    return factory.get();
  }

  public static boolean exists(String name) {
    return REGISTRY.containsKey(name);
  }
}

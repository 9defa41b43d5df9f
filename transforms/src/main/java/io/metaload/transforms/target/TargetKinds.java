package io.metaload.transforms.target;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.error.MetaloadException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The {@link TargetKind}s on the class path, by name; a connection's {@code kind} picks one. */
public final class TargetKinds {
  private static final Map<String, TargetKind> KINDS = load();

  private TargetKinds() {}

  private static Map<String, TargetKind> load() {
    Map<String, TargetKind> out = new TreeMap<>();
    for (TargetKind k : ServiceLoader.load(TargetKind.class, TargetKinds.class.getClassLoader())) {
      TargetKind earlier = out.put(k.name(), k);
      if (earlier != null) {
        throw new IllegalStateException(
            "two target kinds are called '"
                + k.name()
                + "': "
                + earlier.getClass().getName()
                + " and "
                + k.getClass().getName());
      }
    }
    return out;
  }

  /** The target {@code connection} reaches, by its kind; an unknown kind is bad configuration. */
  public static Target target(ConnectionSpec connection) {
    TargetKind kind = KINDS.get(connection.kind());
    if (kind == null) {
      throw MetaloadException.badConfig(
          "connection '"
              + connection.name()
              + "' is of kind '"
              + connection.kind()
              + "', which no target on the class path serves (known: "
              + String.join(", ", KINDS.keySet())
              + "; a target kind registers in META-INF/services/"
              + TargetKind.class.getName()
              + ")");
    }
    return kind.target(connection);
  }
}

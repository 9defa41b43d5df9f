package io.metaload.transforms.flowgraph;

import io.metaload.metadata.error.MetaloadException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The step types on the class path, by name: the built-in ones and any custom step registered as a
 * {@link StepType} service.
 */
final class StepTypes {
  private static final Map<String, StepType> TYPES = load();

  private StepTypes() {}

  private static Map<String, StepType> load() {
    Map<String, StepType> out = new TreeMap<>();
    for (StepType t : ServiceLoader.load(StepType.class, StepTypes.class.getClassLoader())) {
      StepType earlier = out.put(t.name(), t);
      if (earlier != null) {
        throw new IllegalStateException(
            "two step types are called '"
                + t.name()
                + "': "
                + earlier.getClass().getName()
                + " and "
                + t.getClass().getName());
      }
    }
    return out;
  }

  static StepType named(String flowgraph, String step, String type) {
    StepType t = TYPES.get(type);
    if (t == null) {
      throw MetaloadException.badConfig(
          "flowgraph '"
              + flowgraph
              + "', step '"
              + step
              + "': unknown step type '"
              + type
              + "' (known: "
              + TYPES.keySet()
              + "; a custom step registers its StepType in META-INF/services/"
              + StepType.class.getName()
              + ")");
    }
    return t;
  }
}

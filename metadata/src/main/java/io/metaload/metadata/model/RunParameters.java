package io.metaload.metadata.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metaload.metadata.error.MetaloadException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code --param name=value} pairs of one command, and their substitution into load
 * definitions, where values may be written as {@code ${param.name}} (today: partition values,
 * boundaries and calendar bounds). A reference that no parameter gives, and a parameter that no
 * load uses, are usage errors before anything runs; each value is then type-checked where it is
 * used, like any literal of the definition.
 *
 * <pre>{@code
 * RunParameters params = RunParameters.parse(List.of("country=DE"));
 * LoadDefinition resolved = params.apply(definition, used);
 * }</pre>
 */
public final class RunParameters {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{param\\.([^}]*)}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A backfill's window start, for a windowed delta load: {@code --param from=2024-05-01}. */
  public static final String FROM = "from";

  /** A backfill's window end (exclusive): {@code --param to=2024-05-08}. */
  public static final String TO = "to";

  /**
   * Plans a windowed delta load's run as its first, ignoring the published watermark (after {@code
   * delta.column} changed): {@code --param resetWatermark=true}.
   */
  public static final String RESET_WATERMARK = "resetWatermark";

  private final SortedMap<String, String> values;

  private RunParameters(SortedMap<String, String> values) {
    this.values = Collections.unmodifiableSortedMap(values);
  }

  public static RunParameters none() {
    return new RunParameters(new TreeMap<>());
  }

  /** Parses {@code name=value} arguments; a malformed or repeated one is a usage error. */
  public static RunParameters parse(List<String> arguments) {
    SortedMap<String, String> values = new TreeMap<>();
    for (String argument : arguments == null ? List.<String>of() : arguments) {
      int eq = argument.indexOf('=');
      String name = eq < 0 ? argument : argument.substring(0, eq);
      if (eq < 0 || !NAME.matcher(name).matches()) {
        throw MetaloadException.badConfig(
            "--param '"
                + argument
                + "' must be name=value, with a name of letters, digits and '_'");
      }
      if (values.put(name, argument.substring(eq + 1)) != null) {
        throw MetaloadException.badConfig("--param " + name + " is given twice");
      }
    }
    return new RunParameters(values);
  }

  /** Reads parameters stored with a run ({@link #toJson()}); null or empty means none. */
  public static RunParameters fromJson(String json) {
    if (json == null || json.isBlank()) {
      return none();
    }
    try {
      return new RunParameters(
          new TreeMap<>(JSON.readValue(json, new TypeReference<Map<String, String>>() {})));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "stored run parameters are not a JSON object of strings: " + e.getOriginalMessage(), e);
    }
  }

  /** The parameters as a JSON object for {@code load_run.params}, or null when there are none. */
  public String toJson() {
    if (values.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** Whether {@value #RESET_WATERMARK} is given as true; any other value is a usage error. */
  public boolean resetsWatermark() {
    String value = values.get(RESET_WATERMARK);
    if (value == null || value.equalsIgnoreCase("false")) {
      return false;
    }
    if (!value.equalsIgnoreCase("true")) {
      throw MetaloadException.badConfig(
          "--param " + RESET_WATERMARK + "=" + value + " must be true or false");
    }
    return true;
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public SortedMap<String, String> values() {
    return values;
  }

  /**
   * {@code d} with every {@code ${param.name}} replaced by its value; adds the names it used to
   * {@code used}. A reference to a parameter that was not given names the load and the field.
   */
  public LoadDefinition apply(LoadDefinition d, Set<String> used) {
    if (d.deltaMode().windowed()) {
      for (String name : List.of(FROM, TO, RESET_WATERMARK)) {
        if (values.containsKey(name)) {
          used.add(name);
        }
      }
    }
    List<String> resolved = new ArrayList<>();
    for (int i = 0; i < d.partitionValues().size(); i++) {
      String field =
          d.partitionStrategy().isCalendar()
              ? (i == 0 ? "partitioning.from" : "partitioning.to")
              : d.partitionStrategy() == PartitionStrategy.RANGE
                  ? "partitioning.boundaries"
                  : "partitioning.values";
      resolved.add(substitute(d.name(), field, d.partitionValues().get(i), used));
    }
    return resolved.equals(d.partitionValues())
        ? d
        : d.toBuilder().partitionValues(resolved).build();
  }

  /**
   * The parameters {@code d} takes, each with the definition field it fills (for a windowed delta
   * load also {@value #FROM} and {@value #TO}, which are optional), in the order they appear. The
   * same fields {@link #apply} substitutes.
   */
  public static LinkedHashMap<String, String> declared(LoadDefinition d) {
    LinkedHashMap<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < d.partitionValues().size(); i++) {
      String field =
          d.partitionStrategy().isCalendar()
              ? (i == 0 ? "partitioning.from" : "partitioning.to")
              : d.partitionStrategy() == PartitionStrategy.RANGE
                  ? "partitioning.boundaries"
                  : "partitioning.values";
      Matcher m = REFERENCE.matcher(d.partitionValues().get(i));
      while (m.find()) {
        out.putIfAbsent(m.group(1), field);
      }
    }
    if (d.deltaMode().windowed()) {
      out.putIfAbsent(FROM, "delta window start");
      out.putIfAbsent(TO, "delta window end");
      out.putIfAbsent(RESET_WATERMARK, "true: plan as a first run");
    }
    return out;
  }

  private String substitute(String load, String field, String text, Set<String> used) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = values.get(name);
      if (value == null) {
        throw MetaloadException.badConfig(
                "load '"
                    + load
                    + "': field '"
                    + field
                    + "' references ${param."
                    + name
                    + "}, which no --param gives"
                    + (values.isEmpty()
                        ? ""
                        : " (given: " + String.join(", ", values.keySet()) + ")"))
            .withLoad(load);
      }
      used.add(name);
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Fails when a parameter was given that none of {@code loads} references. */
  public void checkAllUsed(Set<String> used, List<String> loads) {
    List<String> unused = new ArrayList<>();
    for (String name : values.keySet()) {
      if (!used.contains(name)) {
        unused.add(name);
      }
    }
    if (!unused.isEmpty()) {
      throw MetaloadException.badConfig(
          "unknown parameter"
              + (unused.size() > 1 ? "s " : " ")
              + String.join(", ", unused)
              + ": no ${param...} in load"
              + (loads.size() > 1 ? "s " : " ")
              + String.join(", ", loads)
              + " uses "
              + (unused.size() > 1 ? "them" : "it"));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunParameters && ((RunParameters) o).values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    List<String> pairs = new ArrayList<>();
    values.forEach((k, v) -> pairs.add(k + "=" + v));
    return String.join(" ", pairs);
  }
}

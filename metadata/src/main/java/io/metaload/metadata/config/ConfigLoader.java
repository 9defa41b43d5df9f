package io.metaload.metadata.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the YAML config file. Values may reference environment variables as {@code ${env:NAME}}; a
 * password must be such a reference, or {@code ${file:PATH}} naming a file that holds it (or
 * empty), never clear text. Passwords stay references ({@link Secret}): workers of a cluster
 * resolve them from their own environment.
 *
 * <pre>
 * metadata:
 *   url: jdbc:postgresql://db:5432/metaload
 *   user: metaload
 *   password: ${env:METALOAD_DB_PASSWORD}
 * connections:
 *   crm:
 *     url: jdbc:mariadb://crm:3306/crm
 *     user: reader
 *     password: ${env:CRM_PASSWORD}
 * </pre>
 */
public final class ConfigLoader {
  private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

  private final UnaryOperator<String> environment;

  public ConfigLoader(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  public static ConfigLoader fromSystemEnvironment() {
    return new ConfigLoader(System::getenv);
  }

  public MetaloadConfig load(Path file) {
    JsonNode root = readYaml(file);
    if (!root.isObject()) {
      throw MetaloadException.badConfig(
          file + ": expected a mapping with 'metadata' and 'connections'");
    }
    checkKnownFields(file, "top level", root, "metadata", "connections", "retry", "publish");
    ConnectionSpec metadata = connection(file, "metadata", root.get("metadata"));
    Map<String, ConnectionSpec> connections = new LinkedHashMap<>();
    JsonNode conns = root.get("connections");
    if (conns != null && !conns.isNull()) {
      if (!conns.isObject()) {
        throw MetaloadException.badConfig(
            file + ": 'connections' must be a mapping of name to connection");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = conns.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        connections.put(e.getKey(), connection(file, e.getKey(), e.getValue()));
      }
    }
    return MetaloadConfig.of(
        file,
        metadata,
        connections,
        retry(file, root.get("retry")),
        publishLockTimeout(file, root.get("publish")));
  }

  private static long publishLockTimeout(Path file, JsonNode node) {
    if (node == null || node.isNull()) {
      return MetaloadConfig.DEFAULT_PUBLISH_LOCK_TIMEOUT_MILLIS;
    }
    checkKnownFields(file, "publish", node, "lockTimeoutMillis");
    long millis;
    try {
      millis =
          whole(
              file, node, "lockTimeoutMillis", MetaloadConfig.DEFAULT_PUBLISH_LOCK_TIMEOUT_MILLIS);
    } catch (MetaloadException e) {
      throw MetaloadException.badConfig(
          file + ": publish." + e.getMessage().replaceFirst("^retry\\.", ""));
    }
    if (millis < 1 || millis > 86_400_000) {
      throw MetaloadException.badConfig(
          file + ": publish.lockTimeoutMillis must be between 1 and 86400000, was " + millis);
    }
    return millis;
  }

  private static RetryPolicy retry(Path file, JsonNode node) {
    RetryPolicy defaults = RetryPolicy.defaults();
    if (node == null || node.isNull()) {
      return defaults;
    }
    checkKnownFields(
        file, "retry", node, "maxAttempts", "initialBackoffMillis", "maxBackoffMillis");
    try {
      return RetryPolicy.of(
          (int) whole(file, node, "maxAttempts", defaults.maxAttempts()),
          whole(file, node, "initialBackoffMillis", defaults.initialBackoffMillis()),
          whole(file, node, "maxBackoffMillis", defaults.maxBackoffMillis()));
    } catch (MetaloadException e) {
      throw MetaloadException.badConfig(file + ": " + e.getMessage());
    }
  }

  private static JsonNode readYaml(Path file) {
    if (!Files.isRegularFile(file)) {
      throw MetaloadException.badConfig("config file not found: " + file);
    }
    try {
      JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      if (node == null) {
        throw MetaloadException.badConfig(file + ": the file is empty");
      }
      return node;
    } catch (IOException e) {
      throw MetaloadException.badConfig(file + ": not valid YAML: " + firstLine(e.getMessage()), e);
    }
  }

  private ConnectionSpec connection(Path file, String name, JsonNode node) {
    String where = file + ": connection '" + name + "'";
    if (node == null || !node.isObject()) {
      throw MetaloadException.badConfig(
          where + " is missing or not a mapping with url, user, password");
    }
    checkKnownFields(
        file,
        "connection '" + name + "'",
        node,
        "url",
        "user",
        "password",
        "maxConnections",
        "queryTimeout",
        "kind",
        "options");
    String kind = text(where, node, "kind");
    if (kind == null || kind.isEmpty()) {
      kind = ConnectionSpec.JDBC;
    } else if (!kind.matches("[a-z][a-z0-9-]{0,31}")) {
      throw MetaloadException.badConfig(
          where + " field 'kind' must be a target kind's name (e.g. jdbc), was '" + kind + "'");
    }
    String url = resolve(where + " field 'url'", text(where, node, "url"));
    if (url == null || kind.equals(ConnectionSpec.JDBC) && !url.startsWith("jdbc:")) {
      throw MetaloadException.badConfig(where + " field 'url' must be a JDBC URL (jdbc:...)");
    }
    if (JdbcUrls.hasPassword(url)) {
      throw MetaloadException.badConfig(
          where
              + " field 'url' carries a password ("
              + JdbcUrls.mask(url)
              + "); remove it from the URL and give it in the 'password' field as an ${env:NAME} reference");
    }
    String user = resolve(where + " field 'user'", text(where, node, "user"));
    String rawPassword = text(where, node, "password");
    Secret password = Secret.none();
    if (rawPassword != null && !rawPassword.isEmpty()) {
      if (!Secret.isReference(rawPassword)) {
        throw MetaloadException.badConfig(
            where
                + " field 'password' must be an ${env:NAME} or ${file:PATH} reference, not clear text");
      }
      try {
        password = Secret.parse(rawPassword, environment);
      } catch (MetaloadException e) {
        throw MetaloadException.badConfig(where + " field 'password': " + e.getMessage(), e);
      }
    }
    int maxConnections = 0;
    JsonNode max = node.get("maxConnections");
    if (max != null && !max.isNull()) {
      if (!max.isIntegralNumber() || max.asLong() < 1 || max.asLong() > 10_000) {
        throw MetaloadException.badConfig(
            where
                + " field 'maxConnections' must be a whole number from 1 to 10000, was '"
                + max.asText()
                + "'");
      }
      maxConnections = max.asInt();
    }
    int queryTimeout = ConnectionSpec.DEFAULT_QUERY_TIMEOUT_SECONDS;
    JsonNode timeout = node.get("queryTimeout");
    if (timeout != null && !timeout.isNull()) {
      long seconds;
      try {
        seconds = Durations.parse(timeout.asText()).getSeconds();
      } catch (IllegalArgumentException e) {
        throw MetaloadException.badConfig(where + " field 'queryTimeout': " + e.getMessage());
      }
      if (seconds < 1 || seconds > 7 * 86_400) {
        throw MetaloadException.badConfig(
            where + " field 'queryTimeout' must be from 1s to 7d, was '" + timeout.asText() + "'");
      }
      queryTimeout = (int) seconds;
    }
    return ConnectionSpec.of(name, url, user, password)
        .withMaxConnections(maxConnections)
        .withQueryTimeoutSeconds(queryTimeout)
        .withKind(kind)
        .withOptions(options(where, node.get("options")));
  }

  /**
   * A connection's {@code options}: names of letters, digits, '.', '_' and '-', each with a text or
   * number value, kept as a literal, or as a reference where it is {@code ${env:NAME}} or {@code
   * ${file:PATH}}.
   */
  private Map<String, Secret> options(String where, JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw MetaloadException.badConfig(
          where + " field 'options' must be a mapping of names to values");
    }
    Map<String, Secret> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String option = e.getKey();
      JsonNode value = e.getValue();
      if (!option.matches("[A-Za-z0-9_.-]{1,200}")) {
        throw MetaloadException.badConfig(
            where + " option '" + option + "' is no name (letters, digits, '.', '_', '-')");
      }
      if (value == null || !value.isValueNode() || value.isNull()) {
        throw MetaloadException.badConfig(
            where + " option '" + option + "' must be a text or a number");
      }
      String text = value.asText();
      if (Secret.isReference(text)) {
        try {
          out.put(option, Secret.parse(text, environment));
        } catch (MetaloadException ex) {
          throw MetaloadException.badConfig(
              where + " option '" + option + "': " + ex.getMessage(), ex);
        }
      } else {
        out.put(option, Secret.literal(text));
      }
    }
    return out;
  }

  private static long whole(Path file, JsonNode node, String field, long fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber()) {
      throw MetaloadException.badConfig(
          "retry." + field + " must be a whole number, was '" + v.asText() + "'");
    }
    return v.longValue();
  }

  private String resolve(String where, String value) {
    if (value == null) {
      return null;
    }
    Matcher m = ENV_REF.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String resolved = environment.apply(m.group(1));
      if (resolved == null) {
        throw MetaloadException.badConfig(
            where + " references environment variable " + m.group(1) + ", which is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(resolved));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * A string field; a mapping, list or number where a string belongs is refused rather than read as
   * empty or as digits.
   */
  private static String text(String where, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      String was =
          v.isObject()
              ? "a mapping"
              : v.isArray()
                  ? "a list"
                  : v.isNumber()
                      ? "a number"
                      : v.isBoolean() ? "a boolean" : "a " + v.getNodeType();
      throw MetaloadException.badConfig(
          where
              + " field '"
              + field
              + "' must be a string"
              + (field.equals("password") ? " such as \"${env:NAME}\"" : "")
              + ", not "
              + was);
    }
    return v.asText();
  }

  private static void checkKnownFields(Path file, String where, JsonNode node, String... known) {
    Set<String> allowed = Set.of(known);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw MetaloadException.badConfig(
            file
                + ": "
                + where
                + ": unknown field '"
                + f
                + "' (allowed: "
                + String.join(", ", known)
                + ")");
      }
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}

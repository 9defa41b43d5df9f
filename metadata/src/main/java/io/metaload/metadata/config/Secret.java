package io.metaload.metadata.config;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.error.MetaloadException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A password as the config file names it: {@code ${env:NAME}} (an environment variable) or {@code
 * ${file:PATH}} (a file holding it, as mounted by Kubernetes or Docker secrets; one trailing line
 * break is dropped). Only the reference is serialized: a copy sent to a worker (a Flink
 * TaskManager) resolves it there, from the worker's own environment or file system, so the job
 * graph never holds the password in clear text. The process that read the config resolves it once,
 * up front, so a missing variable is a config error before anything runs.
 *
 * <pre>{@code
 * Secret s = Secret.parse("${file:/run/secrets/crm}", System::getenv);
 * String password = s.value();
 * }</pre>
 */
@AutoValue
public abstract class Secret implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Where the value comes from. */
  public enum Kind {
    /** The value itself (empty passwords, and connections built in code). */
    LITERAL,
    ENV,
    FILE
  }

  public abstract Kind kind();

  /** The literal value, the variable's name or the file's path. */
  abstract String text();

  /** The resolved value, kept in the process that resolved it and never serialized. */
  private transient String value;

  /** An empty password. */
  public static Secret none() {
    return literal("");
  }

  /**
   * A value given in code; it is serialized with the object, so prefer a reference for real
   * passwords.
   */
  public static Secret literal(String value) {
    Secret s = new AutoValue_Secret(Kind.LITERAL, value == null ? "" : value);
    s.value = s.text();
    return s;
  }

  /** True for {@code ${env:NAME}} and {@code ${file:PATH}}. */
  public static boolean isReference(String text) {
    return text != null && REFERENCE.matcher(text.trim()).matches();
  }

  /**
   * Parses a reference and resolves it now with {@code environment} (for {@code env}); a variable
   * that is not set or a file that cannot be read is a config error.
   */
  public static Secret parse(String reference, UnaryOperator<String> environment) {
    Matcher m = REFERENCE.matcher(reference.trim());
    if (!m.matches()) {
      throw MetaloadException.badConfig("expected ${env:NAME} or ${file:PATH}, not clear text");
    }
    Kind kind = m.group(1).equals("env") ? Kind.ENV : Kind.FILE;
    String text = m.group(2).trim();
    if (kind == Kind.ENV && !VARIABLE.matcher(text).matches()) {
      throw MetaloadException.badConfig("'" + text + "' is not an environment variable name");
    }
    Secret s = new AutoValue_Secret(kind, text);
    s.value = s.resolve(environment);
    return s;
  }

  /** The password, resolved in this process on first use. */
  public String value() {
    String v = value;
    if (v == null) {
      v = resolve(System::getenv);
      value = v;
    }
    return v;
  }

  private String resolve(UnaryOperator<String> environment) {
    switch (kind()) {
      case LITERAL:
        return text();
      case ENV:
        {
          String v = environment.apply(text());
          if (v == null) {
            throw MetaloadException.badConfig(
                "the password's environment variable "
                    + text()
                    + " is not set in this process ("
                    + Workers.identity()
                    + "); set it where metaload and, on a cluster, every TaskManager runs, or use ${file:PATH}");
          }
          return v;
        }
      default:
        {
          Path path = Path.of(text());
          try {
            String v = Files.readString(path, StandardCharsets.UTF_8);
            return v.endsWith("\r\n")
                ? v.substring(0, v.length() - 2)
                : v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
          } catch (IOException e) {
            throw MetaloadException.badConfig(
                "the password file "
                    + path
                    + " cannot be read in this process ("
                    + Workers.identity()
                    + "): "
                    + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()),
                e);
          }
        }
    }
  }

  /**
   * The reference, never the value: {@code ${env:NAME}}, {@code ${file:PATH}}, or {@code ***} for a
   * literal.
   */
  @Override
  public final String toString() {
    switch (kind()) {
      case ENV:
        return "${env:" + text() + "}";
      case FILE:
        return "${file:" + text() + "}";
      default:
        return text().isEmpty() ? "" : "***";
    }
  }
}

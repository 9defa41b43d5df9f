package io.metaload.metadata.config;

import java.util.regex.Pattern;

/**
 * Finds and masks passwords written into JDBC URLs ({@code ?password=...}, {@code ;PASSWORD=...},
 * {@code //user:secret@host}), so that a URL can be refused by the config loader and, wherever a
 * URL is shown, shown without its secret.
 */
public final class JdbcUrls {
  /**
   * Any parameter whose name ends in password, passwd or pwd (password, sslpassword,
   * trustStorePassword, PWD, ...).
   */
  private static final Pattern PARAMETER =
      Pattern.compile("(?i)([?&;:])([a-z_.]*(?:password|passwd|pwd))=([^&;]*)");

  /**
   * {@code user:secret@} before the host; the secret runs to the last {@code @} before the path.
   */
  private static final Pattern USER_INFO =
      Pattern.compile("(?i)^(jdbc:[a-z0-9]+:(?:[a-z0-9]+:)?//)([^/@?;:]*):([^/?;]*)@");

  private JdbcUrls() {}

  /** True when the URL carries a password. */
  public static boolean hasPassword(String url) {
    return url != null && (PARAMETER.matcher(url).find() || USER_INFO.matcher(url).find());
  }

  /** The URL with every password replaced by {@code ***}. */
  public static String mask(String url) {
    if (url == null) {
      return null;
    }
    String masked = PARAMETER.matcher(url).replaceAll("$1$2=***");
    return USER_INFO.matcher(masked).replaceAll("$1$2:***@");
  }
}

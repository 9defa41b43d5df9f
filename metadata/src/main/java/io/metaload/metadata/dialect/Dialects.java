package io.metaload.metadata.dialect;

import io.metaload.metadata.config.JdbcUrls;
import io.metaload.metadata.error.MetaloadException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The {@link DialectProvider}s on the class path, asked in turn for the dialect of a JDBC URL. */
final class Dialects {
  private static final List<DialectProvider> PROVIDERS = load();

  private Dialects() {}

  private static List<DialectProvider> load() {
    List<DialectProvider> out = new ArrayList<>();
    for (DialectProvider p :
        ServiceLoader.load(DialectProvider.class, Dialects.class.getClassLoader())) {
      for (DialectProvider earlier : out) {
        if (p.urlPrefix().startsWith(earlier.urlPrefix())
            || earlier.urlPrefix().startsWith(p.urlPrefix())) {
          throw new IllegalStateException(
              "two dialects claim the URLs "
                  + p.urlPrefix()
                  + " and "
                  + earlier.urlPrefix()
                  + ": "
                  + earlier.getClass().getName()
                  + " and "
                  + p.getClass().getName());
        }
      }
      out.add(p);
    }
    return List.copyOf(out);
  }

  static Dialect forUrl(String jdbcUrl) {
    for (DialectProvider p : PROVIDERS) {
      if (jdbcUrl.startsWith(p.urlPrefix())) {
        return p.create();
      }
    }
    throw MetaloadException.badConfig(
        "unsupported database URL "
            + JdbcUrls.mask(jdbcUrl).replaceAll("\\?.*", "")
            + " (supported: "
            + PROVIDERS.stream()
                .map(p -> p.urlPrefix().replaceAll(":$", ""))
                .collect(Collectors.joining(", "))
            + "; a new database registers its DialectProvider in META-INF/services/"
            + DialectProvider.class.getName()
            + ")");
  }
}

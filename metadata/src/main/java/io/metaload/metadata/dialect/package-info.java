/**
 * What differs between databases, and the one place a database's kind is decided: {@link
 * Dialect#forUrl} asks each {@link DialectProvider} that {@link java.util.ServiceLoader} finds to
 * claim a JDBC URL; its {@link Dialect} answers quoting, types, capabilities and source SQL, and
 * hands out its {@link CatalogReader} (tables, columns, keys, partitions), its {@link TargetSql}
 * (staging DDL, upserts, the swap) and its {@link FenceQueries}.
 *
 * <p>Code elsewhere never names a concrete dialect, compares a dialect's name or URL prefix, or
 * writes a row limit into SQL: it asks the {@code Dialect} a capability ({@code supportsCopy()}),
 * added here when missing. {@code .ci/no-kind-tests} enforces it; a new database is a new provider.
 */
package io.metaload.metadata.dialect;

/**
 * What the config file says and how metaload reaches a database: {@link ConfigLoader} reads it into
 * a {@link MetaloadConfig} of {@link ConnectionSpec}s, {@link Connections} opens metaload's own
 * connections, {@link RetryPolicy} paces retries, {@link JdbcUrls} masks URLs and {@link Workers}
 * names the process.
 *
 * <p>Every module may use it. A password stays a {@link Secret} reference until a process connects:
 * nothing here prints, logs or serializes its value. Session settings that differ by database are
 * asked of {@code Dialect.forUrl}, never decided here.
 */
package io.metaload.metadata.config;

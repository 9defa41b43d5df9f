/**
 * PostgreSQL's binary COPY field formats in one place: {@link PgBinaryField} (per type: the values
 * it takes, its bytes, the value its bytes hold), {@link CopyBuffer}, and {@code NumericDigits} for
 * common {@code numeric}s. Used by the reader and the writer.
 *
 * <p>Knowing this one database's format is the package's job, so {@code .ci/no-kind-tests} exempts
 * it; whether COPY is used is still asked of the {@code Dialect}, never decided here. Bytes only:
 * no JDBC connection and no Beam.
 */
package io.metaload.transforms.pgbinary;

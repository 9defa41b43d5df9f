/**
 * The benchmark's baseline, {@link PlainJdbcIoCopy}: the hand-written {@code JdbcIO} pipeline that
 * {@code benchmarks/run.sh} compares metaload with.
 *
 * <p>Not part of the loading path: nothing in main code may depend on it. It stays the pipeline a
 * plain Beam user would write, taking from metaload only a URL's driver class.
 */
package io.metaload.pipelines.bench;

/**
 * The command line: {@link Metaload}, the main class, with one picocli command per verb ({@code
 * run}, {@code status}, {@code report}, {@code abandon}, {@code validate}, {@code metadata}, {@code
 * template}, {@code quickstart}), Beam option defaults, logging set up in code ({@link LogSetup})
 * and what a command leaves for orchestrators ({@code ErrorReport}, {@code RunResultFile}).
 *
 * <p>The only package that uses picocli and logback, and nothing depends on it. Commands parse,
 * call and print; the work belongs in {@code io.metaload.pipelines} and the metadata packages.
 */
package io.metaload.pipelines.cli;

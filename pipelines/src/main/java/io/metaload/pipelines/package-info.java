/**
 * A command's work in the launcher JVM: {@link LoadRunner} locks, plans, records and prepares runs,
 * builds the one Beam pipeline ({@link LoadPipeline}) and has {@link Finalizer} validate and
 * publish each run; {@code Resumer}, {@link Abandoner}, {@link RunProgress} and the SLA watch
 * complete it.
 *
 * <p>No DoFn or PTransform here: what runs on workers lives in {@code transforms}. Nothing in
 * {@code metadata} or {@code transforms} may depend on this package, and in main code only {@code
 * pipelines.cli} calls it. Command-line parsing stays in {@code cli}.
 */
package io.metaload.pipelines;

/**
 * A run's report: {@link RunHistory} reads everything the metadata store holds about one run into
 * one JSON document, and {@link HtmlReport} writes it as a self-contained HTML file with uPlot and
 * {@code report.js} (in the resources beside it) inlined.
 *
 * <p>Reads the metadata store and never writes it; no source, target, Beam or dialect here. Used by
 * the CLI's {@code report} command.
 */
package io.metaload.pipelines.report;

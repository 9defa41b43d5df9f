/**
 * Definitions files ("metadata as code"): {@link LoadDefinitionsYaml} reads and writes {@code
 * loads:}, {@link FlowgraphsYaml} reads {@code flowgraphs:}, and {@link ContractsYaml} reads and
 * writes {@code contracts:}.
 *
 * <p>Only translates between YAML and the values of {@code model}, {@code flowgraph} and {@code
 * contract}: no JDBC here, and what a step's arguments mean is the step's business. {@code
 * metadata.store} keeps what this reads; the CLI's {@code metadata} command imports files through
 * it.
 */
package io.metaload.metadata.yaml;

/**
 * The metadata sink: {@link ProtocolSink} writes each committed batch's {@code load_batch} row and
 * its {@code load_reject} rows to the metadata store in one transaction, so {@code status} shows
 * progress while a run goes.
 *
 * <p>The only transform that writes the metadata store, and only through {@code BatchProtocol}: no
 * SQL here. It never touches source or target; a resume trusts the target's ledger, not this
 * protocol.
 */
package io.metaload.transforms.protocol;

package io.metaload.transforms.protocol;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.store.BatchRecord;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * The metadata sink: each batch's protocol record, with its rejected rows, into the metadata store
 * in one transaction.
 *
 * <pre>{@code
 * committed.apply(ProtocolSink.batches(config.metadata()));
 * }</pre>
 */
public final class ProtocolSink {
  private ProtocolSink() {}

  public static PTransform<PCollection<BatchRecord>, PDone> batches(ConnectionSpec metadata) {
    return new PTransform<PCollection<BatchRecord>, PDone>("WriteProtocol") {
      private static final long serialVersionUID = 1L;

      @Override
      public PDone expand(PCollection<BatchRecord> input) {
        input.apply(ParDo.of(new WriteProtocolFn(metadata)));
        return PDone.in(input.getPipeline());
      }
    };
  }
}

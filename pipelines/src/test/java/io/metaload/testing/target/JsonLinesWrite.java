package io.metaload.testing.target;

import io.metaload.metadata.store.BatchRecord;
import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.batch.RowJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes each batch as one file of staging, its ledger entry on the first line; a batch written
 * again (a retried bundle) finds its file and keeps it.
 */
final class JsonLinesWrite extends PTransform<PCollection<RowBatch>, PCollection<BatchRecord>> {
  private static final long serialVersionUID = 1L;

  private final String staging;
  private final List<String> names;
  private final int attempt;

  JsonLinesWrite(String staging, List<String> names, int attempt) {
    this.staging = staging;
    this.names = List.copyOf(names);
    this.attempt = attempt;
  }

  @Override
  public PCollection<BatchRecord> expand(PCollection<RowBatch> batches) {
    return batches
        .apply("WriteJsonLines", ParDo.of(new WriteFn(staging, names, attempt)))
        .setCoder(SerializableCoder.of(BatchRecord.class));
  }

  private static final class WriteFn extends DoFn<RowBatch, BatchRecord> {
    private static final long serialVersionUID = 1L;

    private final String staging;
    private final List<String> names;
    private final int attempt;

    WriteFn(String staging, List<String> names, int attempt) {
      this.staging = staging;
      this.names = names;
      this.attempt = attempt;
    }

    @ProcessElement
    public void process(@Element RowBatch batch, OutputReceiver<BatchRecord> out)
        throws IOException {
      BatchRecord record =
          BatchRecord.of(
              batch.runId(),
              batch.loadName(),
              batch.batchId(),
              batch.partitionId(),
              batch.firstKey(),
              batch.lastKey(),
              batch.rowsRead(),
              batch.rowCount(),
              batch.rejects().size(),
              batch.readStartedMillis(),
              System.currentTimeMillis(),
              attempt,
              batch.readRetries());
      Path file =
          Path.of(staging).resolve(batch.batchId().replaceAll("[^A-Za-z0-9_-]", "_") + ".jsonl");
      if (!Files.exists(file)) {
        List<String> lines = new ArrayList<>();
        lines.add(JsonLinesFiles.header(record));
        for (Object[] row : batch.rows()) {
          lines.add(RowJson.render(names, row, null));
        }
        JsonLinesFiles.writeAtomically(file, lines);
      }
      out.output(record.withRejects(batch.rejects()));
    }
  }
}

package io.metaload.transforms.write;

import static org.apache.beam.sdk.util.Preconditions.checkStateNotNull;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.store.BatchRecord;
import io.metaload.transforms.batch.RowBatch;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * Commits each {@link RowBatch} to a run's staging table in one idempotent transaction (COPY on
 * PostgreSQL, batched inserts elsewhere) and emits one {@link BatchRecord} per committed batch.
 */
@AutoValue
public abstract class WriteBatches
    extends PTransform<PCollection<RowBatch>, PCollection<BatchRecord>> {
  private static final long serialVersionUID = 1L;

  @Nullable
  abstract StagingTarget target();

  public static WriteBatches create() {
    return new AutoValue_WriteBatches(null);
  }

  /** The staging table to write; required. */
  public WriteBatches to(StagingTarget target) {
    return new AutoValue_WriteBatches(checkStateNotNull(target, "target must not be null"));
  }

  @Override
  public PCollection<BatchRecord> expand(PCollection<RowBatch> batches) {
    StagingTarget target =
        checkStateNotNull(target(), "MetaloadIO.writeBatches() requires to(...)");
    return batches
        .apply("CommitToStaging", ParDo.of(new WriteBatchesFn(target)))
        .setCoder(SerializableCoder.of(BatchRecord.class));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    if (target() != null) {
      builder
          .add(DisplayData.item("url", target().connection().url()))
          .add(DisplayData.item("user", target().connection().user()))
          .add(DisplayData.item("staging", target().staging().toString()));
    }
  }
}

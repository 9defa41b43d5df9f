package io.metaload.transforms;

import static org.apache.beam.sdk.util.Preconditions.checkStateNotNull;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.plan.ReadUnit;
import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.batch.RowBatchCoder;
import io.metaload.transforms.read.ReadBatchesFn;
import io.metaload.transforms.read.SourceSpec;
import io.metaload.transforms.write.WriteBatches;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * Entry points for metaload's IO transforms, in the manner of Beam's own IOs.
 *
 * <pre>{@code
 * PCollection<RowBatch> batches = units.apply(MetaloadIO.readBatches().withSource(sourceSpec));
 * PCollection<BatchRecord> committed = batches.apply(MetaloadIO.writeBatches().to(stagingTarget));
 * }</pre>
 */
public final class MetaloadIO {
  private MetaloadIO() {}

  public static ReadBatches readBatches() {
    return new AutoValue_MetaloadIO_ReadBatches(null);
  }

  /** Commits batches to a run's staging table; see {@link WriteBatches}. */
  public static WriteBatches writeBatches() {
    return WriteBatches.create();
  }

  /** Reads each {@link ReadUnit} in keyset batches with {@link ReadBatchesFn}. */
  @AutoValue
  public abstract static class ReadBatches
      extends PTransform<PCollection<ReadUnit>, PCollection<RowBatch>> {
    private static final long serialVersionUID = 1L;

    @Nullable
    abstract SourceSpec source();

    /** The source table to read; required. */
    public ReadBatches withSource(SourceSpec source) {
      return new AutoValue_MetaloadIO_ReadBatches(
          checkStateNotNull(source, "source must not be null"));
    }

    @Override
    public PCollection<RowBatch> expand(PCollection<ReadUnit> units) {
      SourceSpec spec =
          checkStateNotNull(source(), "MetaloadIO.readBatches() requires withSource(...)");
      return units
          .apply("ReadKeysetBatches", ParDo.of(new ReadBatchesFn(spec)))
          .setCoder(RowBatchCoder.of());
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      if (source() != null) {
        builder
            .add(DisplayData.item("url", source().connection().url()))
            .add(DisplayData.item("user", source().connection().user()))
            .add(DisplayData.item("table", source().table().toString()))
            .add(DisplayData.item("batchSize", source().batchSize()));
      }
    }
  }
}

package io.metaload.transforms.source;

import io.metaload.metadata.plan.ReadUnit;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Emits a planned run's read units (its partition descriptors) and spreads them over the workers.
 * Planning happens before the pipeline is built, so the plan is recorded in the metadata store
 * before any data moves and every worker reads the same plan.
 *
 * <pre>{@code
 * PCollection<ReadUnit> units = pipeline.apply(MetadataSource.of(run.readUnits(workers)));
 * }</pre>
 */
public final class MetadataSource extends PTransform<PBegin, PCollection<ReadUnit>> {
  private static final long serialVersionUID = 1L;

  private final List<ReadUnit> units;

  private MetadataSource(List<ReadUnit> units) {
    this.units = List.copyOf(units);
  }

  public static MetadataSource of(List<ReadUnit> units) {
    if (units.isEmpty()) {
      throw new IllegalArgumentException("a run has at least one read unit");
    }
    return new MetadataSource(units);
  }

  @Override
  public PCollection<ReadUnit> expand(PBegin input) {
    return input
        .apply("ReadUnits", Create.of(units).withCoder(SerializableCoder.of(ReadUnit.class)))
        .apply("SpreadOverWorkers", Reshuffle.viaRandomKey());
  }
}

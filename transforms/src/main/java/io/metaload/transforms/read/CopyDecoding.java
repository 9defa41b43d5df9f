package io.metaload.transforms.read;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.schema.Column;
import io.metaload.transforms.pgbinary.PgBinaryField;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a load that decodes its rows can read them from PostgreSQL as binary COPY tuples
 * and decode them itself ({@link PgBinaryField}), which costs less than the driver's result sets:
 * the source is PostgreSQL, every column has a decoder that gives its type's values, and the
 * partition predicate can be written into the COPY query.
 */
public final class CopyDecoding {
  private CopyDecoding() {}

  /** Empty when the rows can be read this way, else the reason they cannot. */
  public static Optional<String> whyNot(LoadPlan plan, Dialect source) {
    if (!source.readsBinaryCopy()) {
      return Optional.of("the source (" + source.name() + ") has no binary COPY");
    }
    Optional<String> partition = CopyPassThrough.partitionNotLiteral(plan);
    if (partition.isPresent()) {
      return partition;
    }
    for (Column c : plan.sourceSchema().columns()) {
      if (PgBinaryField.forColumns(List.of(c)).isEmpty()) {
        return Optional.of(
            "column " + c.name() + " of type " + c.typeName() + " is read through JDBC");
      }
    }
    return Optional.empty();
  }
}

package io.metaload.transforms.read;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.JdbcTypes;
import io.metaload.transforms.pgbinary.PgBinaryField;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a load can move PostgreSQL binary COPY tuples from source to target without
 * decoding them: both ends PostgreSQL, the identity flowgraph, the same type in every column pair
 * (a target metaload creates from a PostgreSQL source always qualifies), and no partition predicate
 * that would have to be written into the COPY query as text.
 */
public final class CopyPassThrough {
  private static final Set<String> TEXT_TYPES = Set.of("text", "varchar");

  private CopyPassThrough() {}

  /**
   * Why target column {@code t} may refuse a value of source column {@code s}, if it may: then rows
   * are decoded, so that the writer can isolate and reject the rows the target refuses.
   */
  private static Optional<String> narrower(Column s, Column t) {
    if (t.pgEnum()) {
      return Optional.of(
          "column "
              + t.name()
              + " is an enum in the target, which may lack some of the source's values");
    }
    if (!t.nullable() && s.nullable()) {
      return Optional.of(
          "column " + t.name() + " is NOT NULL in the target but nullable in the source");
    }
    if ((TEXT_TYPES.contains(t.typeName()) || t.typeName().equals("bpchar"))
        && t.size() > 0
        && (s.size() <= 0 || s.size() > t.size())) {
      return Optional.of(
          "column "
              + t.name()
              + " holds at most "
              + t.size()
              + " characters in the target, fewer than in the source");
    }
    if (t.type() == ColumnType.DECIMAL
        && t.size() > 0
        && t.size() <= 1000
        && (s.size() <= 0
            || s.size() > 1000
            || s.size() - s.scale() > t.size() - t.scale()
            || s.scale() > t.scale())) {
      return Optional.of(
          "column "
              + t.name()
              + " is numeric("
              + t.size()
              + ","
              + t.scale()
              + ") in the target, narrower than in the source");
    }
    return Optional.empty();
  }

  /** A column whose binary COPY form is a string's: text, varchar, or an enum (its label). */
  private static boolean textual(Column c) {
    return TEXT_TYPES.contains(c.typeName()) || c.pgEnum();
  }

  /**
   * Why the run's partition predicate cannot be written into a COPY query as a literal, if it
   * cannot.
   */
  static Optional<String> partitionNotLiteral(LoadPlan plan) {
    Column partition = plan.partitionColumn();
    if (partition != null
        && (!partition.type().family().equals("number")
            || partition.type() == ColumnType.REAL
            || partition.type() == ColumnType.DOUBLE)) {
      return Optional.of("the partition column " + partition.name() + " is not an exact number");
    }
    return Optional.empty();
  }

  /** Empty when pass-through applies, else the reason it does not. */
  public static Optional<String> whyNot(LoadPlan plan, Dialect source, Dialect target) {
    if (!source.readsBinaryCopy()) {
      return Optional.of("the source (" + source.name() + ") has no binary COPY");
    }
    if (!target.takesBinaryCopyFrom(source)) {
      return Optional.of(
          "the target ("
              + target.name()
              + ") cannot take the source's binary COPY tuples unchanged");
    }
    if (!plan.definition().flowgraph().equals("identity")) {
      return Optional.of("flowgraph '" + plan.definition().flowgraph() + "' reads rows");
    }
    Optional<String> partition = partitionNotLiteral(plan);
    if (partition.isPresent()) {
      return partition;
    }
    for (Column c : plan.sourceSchema().columns()) {
      if (PgBinaryField.forColumn(c) == null && c.type() != ColumnType.TEXT_FORM) {
        return Optional.of("column " + c.name() + " has type " + c.typeName());
      }
      if (JdbcTypes.isOtherPgArray(c.typeName())) {
        return Optional.of(
            "column "
                + c.name()
                + " is an array of "
                + c.typeName().substring(1)
                + ", whose binary form names its element type by an oid that differs between databases");
      }
    }
    if (plan.targetExists()) {
      for (int i = 0; i < plan.sourceSchema().columns().size(); i++) {
        Column read = plan.sourceSchema().columns().get(i);
        Column written = plan.targetSchema().columns().get(i);
        String from = read.typeName();
        String to = written.typeName();
        if (!from.equals(to) && !(textual(read) && textual(written))) {
          return Optional.of(
              "column "
                  + plan.sourceSchema().columns().get(i).name()
                  + " is "
                  + from
                  + " in the source but "
                  + to
                  + " in the target");
        }
        Optional<String> narrower =
            narrower(plan.sourceSchema().columns().get(i), plan.targetSchema().columns().get(i));
        if (narrower.isPresent()) {
          return narrower;
        }
      }
    }
    if (plan.definition().maxRejects() != null || plan.definition().maxRejectShare() != null) {
      return Optional.of(
          "the load takes rejects (maxRejects), and a row the target refuses can only be set aside"
              + " from decoded rows");
    }
    return Optional.empty();
  }
}

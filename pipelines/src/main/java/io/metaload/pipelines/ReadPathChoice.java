package io.metaload.pipelines;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.transforms.read.CopyDecoding;
import io.metaload.transforms.read.SourceSpec.ReadPath;
import io.metaload.transforms.target.Target;
import java.util.Optional;

/**
 * How a run reads its source, and why not a faster way: binary COPY passed through undecoded where
 * PostgreSQL is on both sides and the target's columns take the source's tuples as they are;
 * otherwise binary COPY decoded where the source is PostgreSQL and the plan's queries fit COPY;
 * otherwise keyset queries through JDBC. The system properties {@code metaload.copyPassThrough} and
 * {@code metaload.copyDecoding} ({@code false}) switch a way off.
 *
 * <pre>{@code
 * ReadPathChoice choice = ReadPathChoice.of(plan, Dialect.forUrl(from.url()), TargetKinds.target(to));
 * LOG.info("run {}: {}", runId, choice.describe());
 * }</pre>
 */
@AutoValue
public abstract class ReadPathChoice {
  /** The way the run reads. */
  public abstract ReadPath path();

  /** Why the rows are decoded, when they are. */
  public abstract Optional<String> whyDecoded();

  /** Why they are read through JDBC, when they are. */
  public abstract Optional<String> whyJdbc();

  /** The choice for a plan read from {@code source} and written to {@code target}. */
  public static ReadPathChoice of(LoadPlan plan, Dialect source, Target target) {
    Optional<String> whyDecoded =
        Boolean.parseBoolean(System.getProperty("metaload.copyPassThrough", "true"))
            ? target.whyNoCopyPassThrough(plan, source)
            : Optional.of("disabled by -Dmetaload.copyPassThrough=false");
    if (whyDecoded.isEmpty()) {
      return new AutoValue_ReadPathChoice(
          ReadPath.COPY_PASS_THROUGH, Optional.empty(), Optional.empty());
    }
    Optional<String> whyJdbc =
        Boolean.parseBoolean(System.getProperty("metaload.copyDecoding", "true"))
            ? CopyDecoding.whyNot(plan, source)
            : Optional.of("disabled by -Dmetaload.copyDecoding=false");
    return new AutoValue_ReadPathChoice(
        whyJdbc.isEmpty() ? ReadPath.COPY_DECODED : ReadPath.JDBC, whyDecoded, whyJdbc);
  }

  /** One line for the run's log. */
  public String describe() {
    return whyDecoded()
        .map(
            decoded ->
                "rows are decoded ("
                    + decoded
                    + "), read "
                    + whyJdbc()
                        .map(w -> "through JDBC (" + w + ")")
                        .orElse("as binary COPY tuples"))
        .orElse("binary COPY pass-through from PostgreSQL to PostgreSQL");
  }
}

package io.metaload.transforms.write;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.RetryPolicy;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.store.RunContext;
import java.io.Serializable;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Where a run's batches land: its staging table, the ledger beside it, and the column order. */
@AutoValue
public abstract class StagingTarget implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract ConnectionSpec connection();

  public abstract Dialect dialect();

  public abstract TableRef staging();

  public abstract TableRef ledger();

  /** Target columns in the order of the values in each row. */
  public abstract List<Column> columns();

  /** The run attempt writing (1, or more after resumes), recorded with each batch. */
  public abstract int attempt();

  public abstract RetryPolicy retry();

  /**
   * Target columns whose values a reject shows as {@code ***} (the contract's PII columns), lower
   * case.
   */
  public abstract Set<String> hiddenColumns();

  /**
   * Whether rows the target refuses are isolated and rejected (the load tolerates rejects);
   * otherwise the first refused value fails its batch, and the run resumes once the target is
   * fixed.
   */
  public abstract boolean rejectsRefusedRows();

  /** The same target, hiding {@code columns} in rejects. */
  public StagingTarget hiding(Collection<String> columns) {
    Set<String> lower = new HashSet<>();
    columns.forEach(c -> lower.add(c.toLowerCase(Locale.ROOT)));
    return new AutoValue_StagingTarget(
        connection(),
        dialect(),
        staging(),
        ledger(),
        columns(),
        attempt(),
        retry(),
        Set.copyOf(lower),
        rejectsRefusedRows());
  }

  /** The same target, isolating and rejecting the rows it refuses when {@code reject} is true. */
  public StagingTarget rejectingRefusedRows(boolean reject) {
    return new AutoValue_StagingTarget(
        connection(),
        dialect(),
        staging(),
        ledger(),
        columns(),
        attempt(),
        retry(),
        hiddenColumns(),
        reject);
  }

  public static StagingTarget of(
      ConnectionSpec connection, TableRef staging, TableRef ledger, List<Column> columns) {
    return of(connection, staging, ledger, columns, 1, RetryPolicy.defaults());
  }

  public static StagingTarget of(
      ConnectionSpec connection,
      TableRef staging,
      TableRef ledger,
      List<Column> columns,
      int attempt,
      RetryPolicy retry) {
    return new AutoValue_StagingTarget(
        connection,
        Dialect.forUrl(connection.url()),
        staging,
        ledger,
        List.copyOf(columns),
        attempt,
        retry,
        Set.of(),
        false);
  }

  public static StagingTarget forRun(
      RunContext run, ConnectionSpec connection, int attempt, RetryPolicy retry) {
    return of(
            connection,
            run.staging(),
            run.ledger(),
            run.plan().targetSchema().columns(),
            attempt,
            retry)
        .hiding(run.plan().piiTargetColumns())
        .rejectingRefusedRows(
            run.plan().definition().maxRejects() != null
                || run.plan().definition().maxRejectShare() != null);
  }
}

package io.metaload.transforms.write;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.store.RunContext;
import java.io.Serializable;
import java.util.List;

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

  public static StagingTarget of(ConnectionSpec connection, TableRef staging, TableRef ledger, List<Column> columns) {
    return new AutoValue_StagingTarget(connection, Dialect.forUrl(connection.url()), staging, ledger, List.copyOf(columns));
  }

  public static StagingTarget forRun(RunContext run, ConnectionSpec connection) {
    return of(connection, run.staging(), run.ledger(), run.plan().targetSchema().columns());
  }
}

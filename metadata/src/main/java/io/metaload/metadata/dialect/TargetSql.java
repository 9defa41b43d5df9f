package io.metaload.metadata.dialect;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SQL a run uses in a target database of a dialect: creating the target, staging and ledger,
 * completing staging, swapping, replacing and merging into the target, and what a swap would leave
 * behind. Every dialect has one ({@link Dialect#target()}); it names and quotes through its
 * dialect.
 */
public abstract class TargetSql implements Serializable {
  private static final long serialVersionUID = 1L;

  protected final Dialect dialect;

  protected TargetSql(Dialect dialect) {
    this.dialect = dialect;
  }

  /** {@code CREATE TABLE} for a new target with the given columns and primary key. */
  public String createTable(TableRef table, TableSchema schema) {
    StringBuilder sql =
        new StringBuilder("CREATE TABLE ").append(dialect.qualified(table)).append(" (");
    for (int i = 0; i < schema.columns().size(); i++) {
      Column c = schema.columns().get(i);
      sql.append(i == 0 ? "" : ", ")
          .append(dialect.quote(c.name()))
          .append(' ')
          .append(dialect.sqlType(c));
      if (!c.nullable()) {
        sql.append(" NOT NULL");
      }
    }
    if (!schema.primaryKey().isEmpty()) {
      sql.append(", PRIMARY KEY (")
          .append(
              schema.primaryKey().stream().map(dialect::quote).collect(Collectors.joining(", ")))
          .append(')');
    }
    return sql.append(')').toString();
  }

  /** Creates the per-run staging table with the target's shape. */
  public List<String> createStaging(
      Connection connection, TableRef target, TableSchema targetSchema, TableRef staging)
      throws SQLException {
    return createStaging(target, targetSchema, staging);
  }

  protected abstract List<String> createStaging(
      TableRef target, TableSchema targetSchema, TableRef staging);

  /**
   * Statements that complete a loaded staging table before it is published, e.g. the primary key a
   * dialect builds after the bulk load rather than during it. Empty by default.
   */
  public List<String> completeStaging(
      Connection connection, TableRef staging, TableSchema targetSchema) throws SQLException {
    return List.of();
  }

  /**
   * Creates a delta run's staging table: the target's columns without keys or indexes, so a key
   * staged twice (a row read at two versions) can be resolved when it is merged.
   */
  public List<String> createPlainStaging(
      Connection connection, TableRef target, TableSchema targetSchema, TableRef staging)
      throws SQLException {
    List<Column> columns = new ArrayList<>(targetSchema.columns());
    return List.of(createTable(staging, TableSchema.of(columns, List.of())));
  }

  /**
   * One statement that inserts the rows {@code select} returns into {@code target}'s {@code
   * columns} and updates the rows whose {@code key} already exists there, leaving {@code
   * insertOnly} columns as they are in updated rows.
   */
  public abstract String upsert(
      TableRef target,
      List<String> columns,
      List<String> key,
      Set<String> insertOnly,
      String select);

  /**
   * A query that runs {@link #upsert} and returns one row: the rows it inserted and the rows it
   * updated; empty where the database cannot tell (the caller then counts matching keys itself).
   */
  public Optional<String> upsertCounting(
      Connection c,
      TableRef target,
      List<String> columns,
      List<String> key,
      Set<String> insertOnly,
      String select)
      throws SQLException {
    return Optional.empty();
  }

  /**
   * The columns of {@code target} whose values the database computes (generated columns): nothing
   * writes them.
   */
  public Set<String> generatedColumns(Connection c, TableRef target) throws SQLException {
    return Set.of();
  }

  /**
   * Statements that move each identity sequence of {@code target} past the greatest value its
   * column now holds (a load writes the source's values and leaves the sequence behind), so that
   * the next row inserted with its default does not collide; none where there is nothing to do.
   */
  public List<String> identityCatchUp(Connection c, TableRef target) throws SQLException {
    return List.of();
  }

  /**
   * The columns of {@code target} that take a value on insert but refuse an update (PostgreSQL
   * identity {@code ALWAYS}).
   */
  public Set<String> insertOnlyColumns(Connection c, TableRef target) throws SQLException {
    return Set.of();
  }

  /**
   * The per-run ledger of committed batch ids that makes batch writes idempotent; {@code rejects}
   * holds a batch's rejected rows as JSON, committed with its rows.
   */
  public String createLedger(TableRef ledger) {
    return "CREATE TABLE "
        + dialect.qualified(ledger)
        + " (batch_id VARCHAR(200) NOT NULL PRIMARY KEY, partition_id INTEGER NOT NULL, "
        + "key_first BIGINT NOT NULL, key_last BIGINT NOT NULL, rows_read BIGINT NOT NULL, rows_written BIGINT NOT NULL, rejects "
        + dialect.sqlType(Column.of("rejects", ColumnType.TEXT_FORM, 0, 0, true, false))
        + ")";
  }

  public String dropTableIfExists(TableRef table) {
    return "DROP TABLE IF EXISTS " + dialect.qualified(table);
  }

  /**
   * Statements that replace {@code target} by {@code staging} in one transaction; {@code retired}
   * is a free name the old target is renamed to (the caller drops it afterwards).
   */
  public abstract List<String> swap(TableRef target, TableRef staging, TableRef retired);

  /**
   * Bounds how long the publication's statements on {@code connection} wait for table locks; called
   * inside the publication's transaction. Does nothing where the database has no such setting.
   */
  public void limitLockWait(Connection connection, long millis) throws SQLException {}

  /** True when {@code e} says a statement gave up waiting for a lock ({@link #limitLockWait}). */
  public boolean isLockTimeout(SQLException e) {
    return false;
  }

  /** Renames a table within its schema. */
  public String renameTable(TableRef from, TableRef to) {
    return "ALTER TABLE " + dialect.qualified(from) + " RENAME TO " + dialect.quote(to.table());
  }

  /** True when {@link #swap} runs inside one transaction (DDL is transactional). */
  public abstract boolean transactionalDdl();

  /**
   * What renaming staging into {@code target}'s place would leave behind on the old table (views on
   * it, grants, triggers, partitions, ...); empty where a rename keeps everything a reader needs. A
   * non-empty answer publishes with {@link #replaceContents} instead.
   */
  public List<String> swapLeavesBehind(Connection c, TableRef target) throws SQLException {
    return List.of();
  }

  /**
   * Why a full load cannot be published into {@code target} at all without losing something that
   * belongs to it (refused at plan time, exit 2); empty where it can.
   */
  public Optional<String> swapRefusal(Connection c, TableRef target) throws SQLException {
    return Optional.empty();
  }

  /**
   * The statements that, inside one transaction, replace {@code target}'s rows with {@code
   * staging}'s and drop staging, keeping the target table itself; only where {@link
   * #swapLeavesBehind} can answer.
   */
  public List<String> replaceContents(Connection c, TableRef target, TableRef staging)
      throws SQLException {
    throw new UnsupportedOperationException(dialect.name() + " publishes full loads by renaming");
  }

  /**
   * After {@link #replaceContents}, in its transaction: the foreign keys to or from the target that
   * its new rows broke (a row without its parent), each named with one of the values, where the
   * database does not check them itself before the commit; empty where none is broken.
   */
  public List<String> brokenReferences(Connection c, TableRef target) throws SQLException {
    return List.of();
  }
}

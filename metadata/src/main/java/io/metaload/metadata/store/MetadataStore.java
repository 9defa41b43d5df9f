package io.metaload.metadata.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.error.SqlErrors;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The metadata store: a JDBC schema created and upgraded by Flyway migrations, reached through a
 * small connection pool. Repositories ({@link DefinitionRepository}, {@link RunRepository}) borrow
 * connections from it.
 *
 * <pre>{@code
 * try (MetadataStore store = MetadataStore.open(config.metadata())) {
 *   store.definitions().upsertAll(LoadDefinitionsYaml.read(file));
 * }
 * }</pre>
 */
public final class MetadataStore implements AutoCloseable {
  private final ConnectionSpec spec;
  private final HikariDataSource pool;

  private MetadataStore(ConnectionSpec spec, HikariDataSource pool) {
    this.spec = spec;
    this.pool = pool;
  }

  /** Connects and applies any pending migrations. */
  public static MetadataStore open(ConnectionSpec spec) {
    HikariDataSource pool = connect(spec);
    try {
      migrate(spec, pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new MetadataStore(spec, pool);
  }

  private static HikariDataSource connect(ConnectionSpec spec) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(spec.url());
    hc.setUsername(spec.user());
    hc.setPassword(spec.password());
    hc.setMaximumPoolSize(4);
    hc.setMinimumIdle(1);
    hc.setPoolName("metaload-metadata");
    hc.setConnectionTimeout(15_000);
    hc.setInitializationFailTimeout(1);
    // InnoDB's default REPEATABLE READ takes gap locks for a DELETE that finds nothing, so
    // launchers
    // recording their runs at once deadlock on the inserts that follow; every store reads
    // committed.
    hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    try {
      return new HikariDataSource(hc);
    } catch (HikariPool.PoolInitializationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      ExitCode code =
          SqlErrors.isConnectionFailure(cause) ? ExitCode.DATABASE_UNREACHABLE : ExitCode.BAD_USAGE;
      throw new MetaloadException(
          code,
          "cannot connect to the metadata store " + spec.describe() + ": " + cause.getMessage(),
          e);
    }
  }

  /** The newest migration bundled with this build ({@code db/migration/V<n>__*.sql}). */
  static final int SCHEMA_VERSION = 14;

  private static final String HISTORY = "metaload_schema_history";

  private static void migrate(ConnectionSpec spec, HikariDataSource pool) {
    Dialect dialect = Dialect.forUrl(spec.url());
    if (isCurrent(pool, dialect)) {
      return;
    }
    try {
      Flyway.configure()
          .dataSource(pool)
          .locations("classpath:db/migration")
          .placeholders(Map.of("ts", dialect.timestampType(3), "blob", dialect.binaryType()))
          .table(HISTORY)
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new MetaloadException(
          ExitCode.LOAD_FAILED,
          "migrating the metadata store " + spec.describe() + " failed: " + e.getMessage(),
          e);
    }
  }

  /**
   * Whether the schema history already holds every bundled migration, all successful: then Flyway,
   * whose class-path scan and validation cost about half a second per command, has nothing to do.
   * Anything else (no history table, a failed or newer migration) goes to Flyway, which applies or
   * reports it.
   */
  private static boolean isCurrent(HikariDataSource pool, Dialect dialect) {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT "
                    + dialect.quote("version")
                    + ", "
                    + dialect.quote("success")
                    + " FROM "
                    + dialect.quote(HISTORY))) {
      int newest = -1;
      while (rs.next()) {
        String version = rs.getString(1);
        if (!rs.getBoolean(2)) {
          return false;
        }
        if (version != null) {
          newest = Math.max(newest, Integer.parseInt(version.trim()));
        }
      }
      return newest == SCHEMA_VERSION;
    } catch (SQLException | NumberFormatException e) {
      return false;
    }
  }

  public ConnectionSpec spec() {
    return spec;
  }

  public Connection connection() throws SQLException {
    return pool.getConnection();
  }

  public DefinitionRepository definitions() {
    return new DefinitionRepository(this);
  }

  public ContractRepository contracts() {
    return new ContractRepository(this);
  }

  public FlowgraphRepository flowgraphs() {
    return new FlowgraphRepository(this);
  }

  /** Runs and their partitions and attempts: start, heartbeat, finish. */
  public RunRepository runs() {
    return new RunRepository(this);
  }

  /** The batch protocol and rejects. */
  public BatchProtocol batches() {
    return new BatchProtocol(this);
  }

  /** The checks each run's validation made. */
  public ValidationLog validations() {
    return new ValidationLog(this);
  }

  /** The watermark each load last published. */
  public WatermarkStore watermarks() {
    return new WatermarkStore(this);
  }

  /** The read units of each run attempt. */
  public ReadUnitLog readUnits() {
    return new ReadUnitLog(this);
  }

  /** Summaries of runs and partitions, as status and reports show them. */
  public RunQueries status() {
    return new RunQueries(this);
  }

  @Override
  public void close() {
    pool.close();
  }
}

package io.metaload.metadata.plan;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.config.Connections;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.SqlErrors;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A relational database's answers for planning, read from its catalog through its {@link Dialect}
 * and from the publication log beside the target table; each question on a connection of its own.
 */
public final class JdbcTargetCatalog implements TargetCatalog {
  private final ConnectionSpec connection;
  private final Dialect dialect;

  public JdbcTargetCatalog(ConnectionSpec connection) {
    this.connection = connection;
    this.dialect = Dialect.forUrl(connection.url());
  }

  @Override
  public Optional<Existing> find(TableRef named) {
    try (Connection c = Connections.open(connection, "target")) {
      Optional<TableRef> table = dialect.catalog().resolve(c, named);
      if (table.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          Existing.of(table.get(), dialect.catalog().readSchema(c, table.get()).orElseThrow()));
    } catch (SQLException e) {
      throw failed("reading target table " + named, e);
    }
  }

  @Override
  public Optional<String> swapRefusal(TableRef table) {
    try (Connection c = Connections.open(connection, "target")) {
      return dialect.target().swapRefusal(c, table);
    } catch (SQLException e) {
      throw failed("reading what depends on target table " + table, e);
    }
  }

  @Override
  public TableRef newTable(TableRef named) {
    return dialect.newTable(named);
  }

  @Override
  public String newColumnName(String name) {
    return dialect.newName(name);
  }

  @Override
  public Optional<PublishedWatermark.Latest> latestPublication(TableRef named, String load) {
    try (Connection c = Connections.open(connection, "target")) {
      Optional<TableRef> table = dialect.catalog().resolve(c, named);
      return table.isEmpty()
          ? Optional.empty()
          : PublishedWatermark.latestPublication(c, dialect, table.get(), load);
    } catch (SQLException e) {
      throw failed("reading the published watermark of load '" + load + "'", e);
    }
  }

  private RuntimeException failed(String what, SQLException e) {
    return SqlErrors.wrap(what + " in " + connection.describe(), e, ExitCode.LOAD_FAILED);
  }
}

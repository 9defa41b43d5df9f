package io.metaload.testing;

import io.metaload.metadata.config.ConnectionSpec;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real databases tests load through: PostgreSQL and MariaDB on loopback, H2 in memory. When a
 * server is not reachable the test is skipped, unless the system property {@code
 * metaload.requireDatabases} is true (as in CI), where it fails instead.
 */
public final class TestDatabases {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";

  private TestDatabases() {}

  /** A PostgreSQL database of that name, created if missing. */
  public static ConnectionSpec postgres(String database) {
    ConnectionSpec admin = ConnectionSpec.of("pg-admin", PG + "postgres", "postgres", "");
    try (Connection c = reachable(admin);
        Statement s = c.createStatement()) {
      try (var rs =
          s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
        if (!rs.next()) {
          s.execute("CREATE DATABASE " + database);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return ConnectionSpec.of("pg-" + database, PG + database, "postgres", "");
  }

  /** A MariaDB database of that name, created if missing. */
  public static ConnectionSpec mariadb(String database) {
    ConnectionSpec admin = ConnectionSpec.of("mariadb-admin", MARIADB, "root", "");
    try (Connection c = reachable(admin);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS " + database + " CHARACTER SET utf8mb4");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return ConnectionSpec.of("mariadb-" + database, MARIADB + database, "root", "");
  }

  /**
   * An empty PostgreSQL database of that name: dropped (with its connections) and created again.
   */
  public static ConnectionSpec freshPostgres(String database) {
    ConnectionSpec admin = ConnectionSpec.of("pg-admin", PG + "postgres", "postgres", "");
    try (Connection c = reachable(admin);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return ConnectionSpec.of("pg-" + database, PG + database, "postgres", "");
  }

  /** An empty MariaDB database of that name. */
  public static ConnectionSpec freshMariadb(String database) {
    ConnectionSpec admin = ConnectionSpec.of("mariadb-admin", MARIADB, "root", "");
    try (Connection c = reachable(admin);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database);
      s.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return ConnectionSpec.of("mariadb-" + database, MARIADB + database, "root", "");
  }

  /** An in-memory H2 database that lives as long as the JVM. */
  public static ConnectionSpec h2(String name) {
    return ConnectionSpec.of("h2-" + name, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
  }

  private static Connection reachable(ConnectionSpec admin) {
    try {
      return admin.open();
    } catch (SQLException e) {
      String why = admin.describe() + " is not reachable: " + e.getMessage();
      if (Boolean.getBoolean("metaload.requireDatabases")) {
        Assertions.fail(
            why + " (metaload.requireDatabases=true, so this is a failure, not a skip)");
      }
      Assumptions.abort(why);
      throw new AssertionError("unreachable");
    }
  }

  /** Runs statements on a connection spec. */
  public static void execute(ConnectionSpec spec, String... sql) {
    try (Connection c = spec.open();
        Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(String.join("; ", sql) + ": " + e.getMessage(), e);
    }
  }

  /** The first column of every row {@code sql} returns, as strings. */
  public static List<String> strings(ConnectionSpec spec, String sql) {
    List<String> out = new ArrayList<>();
    try (Connection c = spec.open();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Polls {@code condition} (a query whose first value is 1 when it holds) every 20 ms until it
   * holds; fails naming it after {@code seconds}.
   */
  public static void awaitTrue(ConnectionSpec spec, String condition, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!strings(spec, condition).get(0).equals("1")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the database never satisfied, within " + seconds + " s: " + condition);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  public static long count(ConnectionSpec spec, String table) {
    try (Connection c = spec.open();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether the catalog lists a table or view {@code table} ({@code name} or {@code schema.name},
   * spelled as written or in the case the database folds unquoted names to) in the connection's
   * schema (its database for MariaDB). Asks the catalog, not a query that could fail for another
   * reason: an unreachable database or any other SQL error fails the test instead of reading as "no
   * table".
   */
  public static boolean tableExists(ConnectionSpec spec, String table) {
    try (Connection c = spec.open()) {
      DatabaseMetaData catalog = c.getMetaData();
      int dot = table.indexOf('.');
      String schema = dot < 0 ? c.getSchema() : folded(catalog, table.substring(0, dot));
      String written = table.substring(dot + 1);
      for (String name : new LinkedHashSet<>(List.of(written, folded(catalog, written)))) {
        try (ResultSet rs = catalog.getTables(c.getCatalog(), schema, name, null)) {
          while (rs.next()) {
            String type = rs.getString("TABLE_TYPE");
            if (rs.getString("TABLE_NAME").equals(name)
                && (type.endsWith("TABLE") || type.endsWith("VIEW"))) {
              return true;
            }
          }
        }
      }
      return false;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "asking the catalog of "
              + spec.describe()
              + " for table "
              + table
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** An unquoted name as the database stores it. */
  private static String folded(DatabaseMetaData catalog, String name) throws SQLException {
    return catalog.storesUpperCaseIdentifiers()
        ? name.toUpperCase(Locale.ROOT)
        : catalog.storesLowerCaseIdentifiers() ? name.toLowerCase(Locale.ROOT) : name;
  }
}

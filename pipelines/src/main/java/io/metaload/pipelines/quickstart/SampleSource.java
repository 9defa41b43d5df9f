package io.metaload.pipelines.quickstart;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates the quick start's source table {@code orders} in an H2 database: a bigint key, a customer
 * id, a timestamp, an amount, a status, a country code and a free-text note.
 */
public final class SampleSource {
  private SampleSource() {}

  public static void create(Connection c, long rows) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS orders");
      s.execute(
          "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, created_at TIMESTAMP(6) NOT NULL, "
              + "amount NUMERIC(12,2) NOT NULL, status VARCHAR(16) NOT NULL, country CHAR(2) NOT NULL, note VARCHAR(100))");
      s.execute(
          "INSERT INTO orders SELECT X, MOD(X * 7919, 100000), DATEADD(SECOND, X, TIMESTAMP '2024-01-01 00:00:00'), "
              + "CAST(MOD(X * 37, 100000) / 100.0 AS NUMERIC(12,2)), "
              + "CASE MOD(X, 4) WHEN 0 THEN 'NEW' WHEN 1 THEN 'PAID' WHEN 2 THEN 'SHIPPED' ELSE 'CLOSED' END, "
              + "CASE MOD(X, 5) WHEN 0 THEN 'DE' WHEN 1 THEN 'FR' WHEN 2 THEN 'US' WHEN 3 THEN 'JP' ELSE 'BR' END, "
              + "CASE WHEN MOD(X, 10) = 0 THEN NULL ELSE CONCAT('order ', X, ' for customer ', MOD(X * 7919, 100000)) END "
              + "FROM SYSTEM_RANGE(1, "
              + rows
              + ")");
    }
  }
}

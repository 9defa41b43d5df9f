package io.metaload.testing;

import io.metaload.metadata.config.ConnectionSpec;

/**
 * Creates the realistic sample table tests load: bigint key, customer id, timestamp, amount,
 * status, country code, a nullable note, a boolean and a date. Values are a pure function of the
 * id, so every database gets the same rows.
 */
public final class SampleTables {
  private SampleTables() {}

  public static void postgres(ConnectionSpec spec, String table, long rows) {
    TestDatabases.execute(
        spec,
        "DROP TABLE IF EXISTS " + table,
        "CREATE TABLE "
            + table
            + " (id bigint PRIMARY KEY, customer_id bigint NOT NULL, created_at timestamp(6) NOT NULL, "
            + "amount numeric(12,2) NOT NULL, status varchar(16) NOT NULL, country char(2) NOT NULL, note varchar(100), "
            + "paid boolean NOT NULL, ship_date date)",
        "INSERT INTO "
            + table
            + " SELECT x, (x * 7919) % 100000, timestamp '2024-01-01 00:00:00' + x * interval '1 second' "
            + "+ (x % 1000) * interval '1 microsecond', ((x * 37) % 100000) / 100.0, "
            + "(array['NEW','PAID','SHIPPED','CLOSED'])[x % 4 + 1], (array['DE','FR','US','JP','BR'])[x % 5 + 1], "
            + "CASE WHEN x % 10 = 0 THEN NULL ELSE 'order ' || x || E' \\t\\\\ tab ' || (x * 7919) % 100000 || ' ä€' END, "
            + "x % 3 = 0, CASE WHEN x % 7 = 0 THEN NULL ELSE date '2024-01-01' + (x % 365)::int END "
            + "FROM generate_series(1::bigint, "
            + rows
            + "::bigint) AS x",
        "ANALYZE " + table);
  }

  public static void mariadb(ConnectionSpec spec, String table, long rows) {
    TestDatabases.execute(
        spec,
        "DROP TABLE IF EXISTS " + table,
        "CREATE TABLE "
            + table
            + " (id bigint PRIMARY KEY, customer_id bigint NOT NULL, created_at datetime(6) NOT NULL, "
            + "amount decimal(12,2) NOT NULL, status varchar(16) NOT NULL, country char(2) NOT NULL, note varchar(100), "
            + "paid boolean NOT NULL, ship_date date) CHARACTER SET utf8mb4",
        "INSERT INTO "
            + table
            + " SELECT seq, (seq * 7919) % 100000, TIMESTAMP('2024-01-01 00:00:00') + INTERVAL seq SECOND "
            + "+ INTERVAL (seq % 1000) MICROSECOND, ((seq * 37) % 100000) / 100.0, "
            + "ELT(seq % 4 + 1, 'NEW','PAID','SHIPPED','CLOSED'), ELT(seq % 5 + 1, 'DE','FR','US','JP','BR'), "
            + "CASE WHEN seq % 10 = 0 THEN NULL ELSE CONCAT('order ', seq, ' \\t\\\\ tab ', (seq * 7919) % 100000, ' ä€') END, "
            + "seq % 3 = 0, CASE WHEN seq % 7 = 0 THEN NULL ELSE DATE('2024-01-01') + INTERVAL (seq % 365) DAY END "
            + "FROM seq_1_to_"
            + rows);
  }

  public static void h2(ConnectionSpec spec, String table, long rows) {
    TestDatabases.execute(
        spec,
        "DROP TABLE IF EXISTS " + table,
        "CREATE TABLE "
            + table
            + " (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, created_at TIMESTAMP(6) NOT NULL, "
            + "amount NUMERIC(12,2) NOT NULL, status VARCHAR(16) NOT NULL, country CHAR(2) NOT NULL, note VARCHAR(100), "
            + "paid BOOLEAN NOT NULL, ship_date DATE)",
        "INSERT INTO "
            + table
            + " SELECT X, MOD(X * 7919, 100000), DATEADD(MICROSECOND, MOD(X, 1000), DATEADD(SECOND, X, TIMESTAMP '2024-01-01 00:00:00')), "
            + "CAST(MOD(X * 37, 100000) / 100.0 AS NUMERIC(12,2)), "
            + "CASE MOD(X, 4) WHEN 0 THEN 'NEW' WHEN 1 THEN 'PAID' WHEN 2 THEN 'SHIPPED' ELSE 'CLOSED' END, "
            + "CASE MOD(X, 5) WHEN 0 THEN 'DE' WHEN 1 THEN 'FR' WHEN 2 THEN 'US' WHEN 3 THEN 'JP' ELSE 'BR' END, "
            + "CASE WHEN MOD(X, 10) = 0 THEN NULL ELSE CONCAT('order ', X, ' ' || CHAR(9) || '\\ tab ', MOD(X * 7919, 100000), ' ä€') END, "
            + "MOD(X, 3) = 0, CASE WHEN MOD(X, 7) = 0 THEN NULL ELSE DATEADD(DAY, MOD(X, 365), DATE '2024-01-01') END "
            + "FROM SYSTEM_RANGE(1, "
            + rows
            + ")");
  }
}

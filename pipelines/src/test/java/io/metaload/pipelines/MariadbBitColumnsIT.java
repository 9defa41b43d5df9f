package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * MariaDB {@code BIT(n)} columns, which JDBC reports like booleans, load as their unsigned values
 * (a {@code BIT(1)} stays a boolean), with NULLs and the largest value of 63 bits.
 */
class MariadbBitColumnsIT {
  @Test
  void bitColumnsLoadIntoPostgresAsTheirNumbers() {
    ConnectionSpec source = TestDatabases.mariadb("metaload_src");
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS bits_maria",
        "CREATE TABLE bits_maria (id bigint PRIMARY KEY, flag bit(1), b8 bit(8), b63 bit(63))",
        "INSERT INTO bits_maria SELECT seq, seq % 2, seq % 256, seq * 1000003 FROM seq_1_to_500",
        "INSERT INTO bits_maria VALUES (501, NULL, NULL, NULL), (502, 1, b'11111111', b'"
            + "1".repeat(63)
            + "')");
    ConnectionSpec target = TestDatabases.postgres("metaload_dst");
    UuidAndJsonColumnsIT.dropWithLeftovers(target, "bits_copy");
    LoadFixture fixture = new LoadFixture("bits_maria_pg", source, target);
    fixture.define(LoadFixture.load("bits", "bits_maria", "bits_copy").batchSize(100).build());

    fixture.run("DirectRunner", "bits");

    TableComparison.assertSameRows(
        source,
        "bits_maria",
        target,
        "bits_copy",
        "id, flag = 1, b8 + 0, b63 + 0",
        "id, flag, b8, b63",
        "id");
  }
}

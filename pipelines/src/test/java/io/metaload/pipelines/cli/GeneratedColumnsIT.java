package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL target that exists with a stored generated column and a {@code GENERATED ALWAYS}
 * identity key, as its source has: the full load and the delta merges after it load every row, the
 * target computes the generated column itself, both columns keep their definitions, and the
 * identity's sequence is moved past the loaded keys, so a row inserted with its default fits.
 */
class GeneratedColumnsIT {
  private static final String COLUMNS = "id, price, qty, total, updated_at";
  private static final String DDL =
      " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, price numeric(10,2) NOT NULL, qty int NOT NULL, "
          + "total numeric GENERATED ALWAYS AS (price * qty) STORED, updated_at timestamp(6) NOT NULL)";

  @TempDir static Path dir;

  @Test
  void aTargetWithAGeneratedColumnAndAnAlwaysIdentityKeyTakesFullLoadsAndMerges() throws Exception {
    ConnectionSpec src = TestDatabases.postgres("metaload_src");
    ConnectionSpec dst = TestDatabases.postgres("metaload_dst");
    TestDatabases.execute(
        src,
        "DROP TABLE IF EXISTS gen_orders",
        "CREATE TABLE gen_orders" + DDL,
        "CREATE INDEX gen_orders_updated ON gen_orders (updated_at)",
        "INSERT INTO gen_orders (price, qty, updated_at) SELECT x % 97 + 0.5, x % 7, localtimestamp - interval '1 day' FROM generate_series(1, 500) x");
    TestDatabases.execute(dst, "DROP TABLE IF EXISTS gen_orders", "CREATE TABLE gen_orders" + DDL);
    if (TestDatabases.tableExists(dst, "metaload_publication")) {
      TestDatabases.execute(dst, "DELETE FROM metaload_publication WHERE load_name = 'gen'");
    }
    DeltaLoad load =
        new DeltaLoad(
            dir,
            "gen",
            "gen",
            "gen_orders",
            src,
            dst,
            "{ mode: watermark, column: updated_at }",
            "merge");

    load.runOk();
    assertExactAndStillGenerated(src, dst);

    TestDatabases.execute(
        src,
        "UPDATE gen_orders SET price = price + 10, updated_at = clock_timestamp() WHERE id % 5 = 0",
        "INSERT INTO gen_orders (price, qty, updated_at) SELECT x, 3, clock_timestamp() FROM generate_series(1, 20) x");
    TestDatabases.awaitTrue(
        src,
        "SELECT CASE WHEN localtimestamp > max(updated_at) + interval '50 milliseconds' THEN 1 ELSE 0 END "
            + "FROM gen_orders",
        10);
    load.runOk();
    assertExactAndStillGenerated(src, dst);
    assertThat(
        "the delta merged the changed rows",
        TestDatabases.strings(
            dst,
            "SELECT rows_inserted || '/' || rows_updated FROM "
                + "metaload_publication WHERE load_name = 'gen' ORDER BY seq DESC LIMIT 1"),
        equalTo(List.of("20/100")));
    TestDatabases.execute(
        dst, "INSERT INTO gen_orders (price, qty, updated_at) VALUES (1, 2, localtimestamp)");
    assertThat(
        "the identity's sequence moved past the loaded keys",
        TestDatabases.strings(dst, "SELECT max(id) = 521 FROM gen_orders"),
        equalTo(List.of("t")));
  }

  private static void assertExactAndStillGenerated(ConnectionSpec src, ConnectionSpec dst) {
    TableComparison.assertSameRows(src, "gen_orders", dst, "gen_orders", COLUMNS, "id");
    assertThat(
        TestDatabases.strings(
            dst,
            "SELECT attname || ':' || attgenerated::text || attidentity::text FROM pg_attribute WHERE attrelid = "
                + "'gen_orders'::regclass AND attname IN ('id', 'total') ORDER BY attname"),
        equalTo(List.of("id:a", "total:s")));
    assertThat(
        TestDatabases.strings(
            dst,
            "SELECT relname FROM pg_class WHERE relname LIKE 'gen\\_orders\\_ml\\_%' AND relkind = 'r'"),
        equalTo(List.of()));
  }
}

package io.metaload.transforms.read;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.plan.ReadUnit;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import io.metaload.testing.TestDatabases;
import io.metaload.transforms.pgbinary.PgBinaryField;
import java.math.BigDecimal;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Rows decoded from PostgreSQL binary COPY tuples hold exactly the values the JDBC driver returns
 * for the same rows.
 */
class CopyDecodedRowsIT {
  private static final ConnectionSpec PG = TestDatabases.postgres("metaload_read_it");

  @Test
  void everyDecodableColumnTypeReadsAsTheDriverReadsIt() throws Exception {
    TestDatabases.execute(
        PG,
        "DROP TABLE IF EXISTS decoded_types",
        "CREATE TABLE decoded_types (id bigint PRIMARY KEY, i4 integer, i2 smallint, n numeric(30,10), n2 numeric, n3 numeric(12,2),"
            + " f8 double precision, f4 real, b boolean, t text, vc varchar(20), c char(5), j json, jb jsonb, bin bytea, u uuid,"
            + " d date, ts timestamp, tstz timestamptz, tm time)",
        "INSERT INTO decoded_types (id) VALUES (1)",
        "INSERT INTO decoded_types VALUES (2, -2147483648, 32767, -12345678901234567890.0123456789, 1e5, -0.01, 'NaN', '-Infinity',"
            + " true, E'tab\\t back\\\\ nl\\n 😀 ü', 'x', 'ab', '{\"a\": [1, 2]}', '{\"b\": 1}', '\\x0001ff',"
            + " '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', 'infinity', '-infinity', 'infinity', '24:00:00')",
        "INSERT INTO decoded_types VALUES (3, 0, 0, 0, 0.000, 0, -0.0, 3.25, false, '', 'twenty characters!!!', 'abcde', '[]', '[]',"
            + " '', '00000000-0000-0000-0000-000000000000', '-infinity', '1999-12-31 23:59:59.123457', '-infinity', '00:00')",
        "INSERT INTO decoded_types SELECT x, -x, (x % 300)::smallint, x * 7919 / 10000.0, x * 1.5, (x * 37 % 100000) / 100.0 - 500,"
            + " x / 3.0, x / 7.0, x % 2 = 0, 'row ' || x, 'v' || x, 'c' || (x % 100), json_build_object('i', x), jsonb_build_array(x),"
            + " int8send(x), md5(x::text)::uuid, date '2020-01-01' + x::int, timestamp '1970-01-01' + x * interval '86399.123456 second',"
            + " timestamptz '2030-01-01 00:00+00' - x * interval '61 minute', time '00:00' + x * interval '43 second'"
            + " FROM generate_series(4, 3000) AS x",
        "INSERT INTO decoded_types (id, n, n2, n3, d, ts) VALUES (3001, 99999999999999999999.9999999999, 123456789.987654321, 9999999999.99,"
            + " '0044-03-15 BC', '0044-03-15 12:00 BC')");
    Dialect dialect = Dialect.forUrl(PG.url());
    TableSchema schema;
    try (Connection c = PG.open()) {
      schema = dialect.catalog().readSchema(c, TableRef.parse("decoded_types")).orElseThrow();
    }
    assertThat(PgBinaryField.forColumns(schema.columns()).isPresent(), equalTo(true));
    SourceSpec jdbc =
        SourceSpec.of(
            PG,
            dialect,
            TableRef.parse("decoded_types"),
            schema.columns(),
            0,
            SplitKeyType.INTEGER,
            true,
            null,
            10_000,
            1_000);
    SourceSpec copy =
        SourceSpec.of(
            PG,
            dialect,
            TableRef.parse("decoded_types"),
            schema.columns(),
            0,
            SplitKeyType.INTEGER,
            true,
            null,
            10_000,
            1_000,
            jdbc.retry(),
            SourceSpec.ReadPath.COPY_DECODED);

    List<Object[]> expected = read(jdbc);
    List<Object[]> actual = read(copy);

    assertThat(actual.size(), equalTo(3001));
    assertThat(expected.size(), equalTo(actual.size()));
    for (int r = 0; r < expected.size(); r++) {
      for (int c = 0; c < schema.columns().size(); c++) {
        assertThat(
            "row " + expected.get(r)[0] + " column " + schema.columns().get(c).name(),
            describe(actual.get(r)[c]),
            equalTo(describe(expected.get(r)[c])));
      }
    }
  }

  private static List<Object[]> read(SourceSpec spec) throws Exception {
    ReadUnit unit = ReadUnit.of(1, "decoded", 0, 0, null, 0, 10_000, 3001);
    try (BatchSource source = BatchSource.open(spec)) {
      return source.readRange(null, 0, 10_000).toRowBatch(unit, 0, 10_000, 0L, 0).rows();
    }
  }

  /**
   * The value with its class, and arrays by content, so that equal text means the same Java value.
   */
  private static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    String text = v instanceof byte[] ? Arrays.toString((byte[]) v) : v.toString();
    return v.getClass().getSimpleName()
        + ":"
        + text
        + Optional.ofNullable(v instanceof BigDecimal ? ((BigDecimal) v).scale() : null)
            .map(s -> " scale " + s)
            .orElse("");
  }
}
